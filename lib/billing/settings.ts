import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/access";
import { requireInstanceAdmin } from "@/lib/admin/access";
import { parseOrThrow } from "@/lib/admin/validation";
import { invalid } from "@/lib/errors";
import { log } from "@/lib/log";
import { amountField, daysField, switchField } from "./fields";
import { formatUsd } from "./money";
import { advanceTiers } from "./tiers";

// Instance-wide billing settings (one row) and the tier requirements, edited by admins. The
// API reads `enforceCredit` on every request, so the settings are cached briefly in memory.

export type BillingSettings = { signupCreditMicros: bigint; signupCreditDays: number | null; enforceCredit: boolean };

const TTL_MS = 5_000;
const g = globalThis as unknown as { __gatehouseBillingSettings?: { at: number; value: Promise<BillingSettings> } };

async function load(): Promise<BillingSettings> {
  const prisma = await db();
  const row = await prisma.billingSettings.upsert({ where: { id: "default" }, create: { id: "default" }, update: {} });
  return { signupCreditMicros: row.signupCreditMicros, signupCreditDays: row.signupCreditDays, enforceCredit: row.enforceCredit };
}

export function getBillingSettings(): Promise<BillingSettings> {
  const c = g.__gatehouseBillingSettings;
  if (c && Date.now() - c.at < TTL_MS) return c.value;
  const value = load();
  value.catch(() => {
    if (g.__gatehouseBillingSettings?.value === value) g.__gatehouseBillingSettings = undefined;
  });
  g.__gatehouseBillingSettings = { at: Date.now(), value };
  return value;
}

export function invalidateBillingSettings() {
  g.__gatehouseBillingSettings = undefined;
}

export const updateBillingSettingsSchema = z.object({
  signupCredit: amountField({ allowZero: true }),
  signupCreditDays: daysField,
  enforceCredit: switchField,
});

export async function updateBillingSettings(actor: Actor, input: z.input<typeof updateBillingSettingsSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(updateBillingSettingsSchema, input);
  const prisma = await db();
  const data = { signupCreditMicros: d.signupCredit ?? 0n, signupCreditDays: d.signupCreditDays, enforceCredit: d.enforceCredit };
  await prisma.billingSettings.upsert({ where: { id: "default" }, create: { id: "default", ...data }, update: data });
  invalidateBillingSettings();
  log.info("billing settings changed", { actorId: actor.userId, signupCreditMicros: String(data.signupCreditMicros), signupCreditDays: data.signupCreditDays, enforceCredit: data.enforceCredit });
}

export type TierRequirement = { tier: number; paidMicros: bigint; daysSinceFirstPayment: number };

export async function listTierRequirements(): Promise<TierRequirement[]> {
  const prisma = await db();
  return prisma.tierRequirement.findMany({ orderBy: { tier: "asc" } });
}

export const setTierRequirementSchema = z.object({
  tier: z.coerce.number({ error: "Choose a tier from 2 to 5" }).int().min(2, "Choose a tier from 2 to 5").max(5, "Choose a tier from 2 to 5"),
  paid: amountField({ allowZero: true }).refine((v) => v !== null, "Enter the amount paid this tier needs"),
  days: daysField.refine((v) => v !== null, "Enter the days since the first payment (0 for none)"),
});

/** Sets what a tier requires; higher tiers may not require less than lower ones. */
export async function setTierRequirement(actor: Actor, input: z.input<typeof setTierRequirementSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(setTierRequirementSchema, input);
  const prisma = await db();
  const paidMicros = d.paid as bigint;
  const days = d.days as number;
  const others = await prisma.tierRequirement.findMany({ where: { tier: { not: d.tier } } });
  for (const o of others) {
    const field = (paidConflict: boolean) => (paidConflict ? "paid" : "days");
    if (o.tier < d.tier && (o.paidMicros > paidMicros || o.daysSinceFirstPayment > days)) {
      const onPaid = o.paidMicros > paidMicros;
      throw invalid(`Tier ${d.tier} cannot require less than tier ${o.tier}.`, { [field(onPaid)]: `Tier ${o.tier} already requires ${onPaid ? formatUsd(o.paidMicros) : `${o.daysSinceFirstPayment} days`}` });
    }
    if (o.tier > d.tier && (o.paidMicros < paidMicros || o.daysSinceFirstPayment < days)) {
      const onPaid = o.paidMicros < paidMicros;
      throw invalid(`Tier ${d.tier} cannot require more than tier ${o.tier}.`, { [field(onPaid)]: `Tier ${o.tier} requires only ${onPaid ? formatUsd(o.paidMicros) : `${o.daysSinceFirstPayment} days`}` });
    }
  }
  await prisma.tierRequirement.upsert({
    where: { tier: d.tier },
    create: { tier: d.tier, paidMicros, daysSinceFirstPayment: days },
    update: { paidMicros, daysSinceFirstPayment: days },
  });
  log.info("tier requirement set", { actorId: actor.userId, tier: d.tier, paidMicros: String(paidMicros), days });
  // Lowered requirements move qualifying organizations up now, not at the next billing run.
  await advanceTiers();
}
