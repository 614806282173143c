import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { getOrgAccess, requireOrgOwner, type Actor } from "@/lib/auth/access";
import { parseOrThrow, rowId } from "@/lib/admin/validation";
import { recordAuditEvent } from "@/lib/audit/audit";
import { log } from "@/lib/log";
import { amountField, switchField } from "./fields";
import { getBalance } from "./ledger";
import { formatUsd, utcMonth } from "./money";
import { invalidateSpend } from "./spend-guard";

// Auto-recharge: when an organization's balance falls below its threshold, charge its payment
// method for a set amount (at most a monthly cap) and post the payment as a top-up. Charging
// goes through a payment-provider interface; Gatehouse ships none, so a deployment that wants
// card payments registers one (registerPaymentProvider). Without one, the settings can be
// kept but nothing is ever charged, and the console says so.

export interface PaymentProvider {
  /** Shown in the console, e.g. "Stripe". */
  readonly name: string;
  /**
   * Charges the organization's payment method. `idempotencyKey` is stable for one recharge:
   * a retry after a crash must not charge twice. Resolves with the provider's payment id.
   */
  charge(request: { orgId: string; amountMicros: bigint; idempotencyKey: string; description: string }): Promise<{ paymentId: string }>;
}

const g = globalThis as unknown as { __gatehousePaymentProvider?: PaymentProvider | null };

export function registerPaymentProvider(provider: PaymentProvider | null) {
  g.__gatehousePaymentProvider = provider;
}

export function getPaymentProvider(): PaymentProvider | null {
  return g.__gatehousePaymentProvider ?? null;
}

export type AutoRecharge = {
  enabled: boolean;
  thresholdMicros: bigint | null;
  amountMicros: bigint | null;
  monthlyCapMicros: bigint | null;
  /** Recharged this (UTC) month. */
  rechargedThisMonthMicros: bigint;
  provider: string | null;
};

export async function getAutoRecharge(actor: Actor, orgId: string, now = new Date()): Promise<AutoRecharge> {
  const access = await getOrgAccess(actor, orgId);
  const prisma = await db();
  const { start, end } = utcMonth(now);
  const [row, recharged] = await Promise.all([
    prisma.orgBilling.findUnique({ where: { orgId: access.orgId } }),
    prisma.creditEntry.aggregate({ where: { orgId: access.orgId, kind: "topup", idempotencyKey: { startsWith: "recharge:" }, createdAt: { gte: start, lt: end } }, _sum: { amountMicros: true } }),
  ]);
  return {
    enabled: row?.autoRecharge ?? false,
    thresholdMicros: row?.autoRechargeThresholdMicros ?? null,
    amountMicros: row?.autoRechargeAmountMicros ?? null,
    monthlyCapMicros: row?.autoRechargeMonthlyCapMicros ?? null,
    rechargedThisMonthMicros: recharged._sum.amountMicros ?? 0n,
    provider: getPaymentProvider()?.name ?? null,
  };
}

export const autoRechargeSchema = z
  .object({
    orgId: rowId,
    enabled: switchField,
    threshold: amountField({ allowZero: true }),
    amount: amountField(),
    monthlyCap: amountField(),
  })
  .superRefine((d, ctx) => {
    if (!d.enabled) return;
    if (d.threshold === null) ctx.addIssue({ code: "custom", path: ["threshold"], message: "Enter the balance that triggers a recharge" });
    if (d.amount === null) ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter the amount to add" });
    if (d.monthlyCap === null) ctx.addIssue({ code: "custom", path: ["monthlyCap"], message: "Enter the most to recharge in a month" });
    if (d.amount !== null && d.monthlyCap !== null && d.amount > d.monthlyCap) ctx.addIssue({ code: "custom", path: ["monthlyCap"], message: "The monthly cap must be at least one recharge" });
  });

export async function setAutoRecharge(actor: Actor, input: z.input<typeof autoRechargeSchema>) {
  const d = parseOrThrow(autoRechargeSchema, input);
  await requireOrgOwner(actor, d.orgId);
  const prisma = await db();
  const values = { autoRecharge: d.enabled, autoRechargeThresholdMicros: d.threshold, autoRechargeAmountMicros: d.amount, autoRechargeMonthlyCapMicros: d.monthlyCap };
  await prisma.$transaction(async (tx) => {
    await tx.orgBilling.upsert({ where: { orgId: d.orgId }, create: { orgId: d.orgId, ...values }, update: values });
    await recordAuditEvent(tx, {
      orgId: d.orgId, actorId: actor.userId, action: "billing.settings_changed", targetType: "organization", targetId: d.orgId,
      details: { autoRecharge: d.enabled, threshold: d.threshold === null ? null : formatUsd(d.threshold), amount: d.amount === null ? null : formatUsd(d.amount), monthlyCap: d.monthlyCap === null ? null : formatUsd(d.monthlyCap) },
    });
  });
}

/**
 * Recharges organizations whose balance is below their threshold, through the registered
 * payment provider (none: nothing happens). One recharge per organization per run; each is
 * keyed by organization, month and sequence so a retried charge is the same charge.
 */
export async function runAutoRecharge(now = new Date()) {
  const provider = getPaymentProvider();
  if (!provider) return [];
  const prisma = await db();
  const { month, start, end } = utcMonth(now);
  const rows = await prisma.orgBilling.findMany({ where: { autoRecharge: true, autoRechargeThresholdMicros: { not: null }, autoRechargeAmountMicros: { gt: 0 } } });
  const done = [];
  for (const r of rows) {
    const balance = await getBalance(r.orgId, now);
    if (balance.availableMicros >= (r.autoRechargeThresholdMicros as bigint)) continue;
    const amount = r.autoRechargeAmountMicros as bigint;
    const recharges = await prisma.creditEntry.findMany({ where: { orgId: r.orgId, kind: "topup", idempotencyKey: { startsWith: `recharge:${r.orgId}:${month}:` }, createdAt: { gte: start, lt: end } }, select: { amountMicros: true } });
    const sum = recharges.reduce((s, e) => s + e.amountMicros, 0n);
    if (r.autoRechargeMonthlyCapMicros !== null && sum + amount > r.autoRechargeMonthlyCapMicros) continue;
    const idempotencyKey = `recharge:${r.orgId}:${month}:${recharges.length + 1}`;
    try {
      const { paymentId } = await provider.charge({ orgId: r.orgId, amountMicros: amount, idempotencyKey, description: `Gatehouse auto-recharge ${formatUsd(amount)}` });
      await prisma.creditEntry.create({ data: { orgId: r.orgId, kind: "topup", amountMicros: amount, description: `Auto-recharge (${provider.name} ${paymentId})`, refId: paymentId, idempotencyKey } });
      invalidateSpend(r.orgId);
      done.push({ orgId: r.orgId, amountMicros: amount, paymentId });
      log.info("auto-recharge charged", { orgId: r.orgId, amountMicros: String(amount), provider: provider.name });
    } catch (err) {
      log.warn("auto-recharge failed", { orgId: r.orgId, provider: provider.name, error: (err as Error).message });
    }
  }
  return done;
}
