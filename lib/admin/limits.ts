import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { invalid, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { invalidateProjectPolicy } from "@/lib/gateway/policy";
import { requireInstanceAdmin } from "./access";
import { limitField, modelIdField, parseOrThrow, rowId } from "./validation";

// Usage tiers: per-tier, per-model RPM/TPM/RPD ("*" is a tier's default for models without a
// row), and which tier each organization is on. Every change drops the cached project
// policies so the API applies it at once.

export const TIERS = [1, 2, 3, 4, 5] as const;
export const DEFAULT_MODEL = "*";

export type LimitValues = { rpm: number | null; tpm: number | null; rpd: number | null };

const tierField = z.coerce
  .number({ error: "Choose a tier from 1 to 5" })
  .int("Choose a tier from 1 to 5")
  .min(1, "Choose a tier from 1 to 5")
  .max(5, "Choose a tier from 1 to 5");

/** A tier row's model: "*" (the default) or a model id. */
export const limitModelField = z.union([z.literal(DEFAULT_MODEL), modelIdField], { error: "Choose a model" });

/** Every tier's rows, "*" first in each. */
export async function listTierLimits(actor: Actor) {
  await requireInstanceAdmin(actor);
  const prisma = await db();
  const rows = await prisma.tierLimit.findMany({ orderBy: [{ tier: "asc" }, { model: "asc" }] });
  return rows.sort((a, b) => a.tier - b.tier || Number(b.model === DEFAULT_MODEL) - Number(a.model === DEFAULT_MODEL) || a.model.localeCompare(b.model));
}

export const setTierLimitSchema = z.object({ tier: tierField, model: limitModelField, rpm: limitField, tpm: limitField, rpd: limitField });

/** Creates or replaces one tier row; blank values mean unlimited. */
export async function setTierLimit(actor: Actor, input: z.input<typeof setTierLimitSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(setTierLimitSchema, input);
  const prisma = await db();
  const values = { rpm: d.rpm, tpm: d.tpm, rpd: d.rpd };
  await prisma.tierLimit.upsert({ where: { tier_model: { tier: d.tier, model: d.model } }, create: { tier: d.tier, model: d.model, ...values }, update: values });
  invalidateProjectPolicy();
  log.info("tier limit set", { actorId: actor.userId, tier: d.tier, model: d.model, ...values });
}

export const removeTierLimitSchema = z.object({ tier: tierField, model: limitModelField });

/** Removes a model's row from a tier: the model falls back to the tier's "*" row. */
export async function removeTierLimit(actor: Actor, input: z.input<typeof removeTierLimitSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(removeTierLimitSchema, input);
  if (d.model === DEFAULT_MODEL) throw invalid("The tier default cannot be removed; leave its values blank for no limit.");
  const prisma = await db();
  const r = await prisma.tierLimit.deleteMany({ where: { tier: d.tier, model: d.model } });
  if (r.count === 0) throw notFound("Tier limit");
  invalidateProjectPolicy();
  log.info("tier limit removed", { actorId: actor.userId, tier: d.tier, model: d.model });
}

const ORG_PAGE_SIZE = 100;

/** Organizations and their tiers, by name; `query` narrows by name or id. */
export async function listOrgTiers(actor: Actor, opts: { query?: string } = {}) {
  await requireInstanceAdmin(actor);
  const prisma = await db();
  const q = opts.query?.trim().slice(0, 100);
  const where = q
    ? {
        OR: [
          { name: { contains: q, mode: "insensitive" as const } },
          { id: q },
          { memberships: { some: { role: "owner" as const, user: { email: { contains: q.toLowerCase() } } } } },
        ],
      }
    : {};
  const [rows, total] = await Promise.all([
    prisma.organization.findMany({
      where,
      orderBy: [{ name: "asc" }, { createdAt: "asc" }],
      take: ORG_PAGE_SIZE,
      select: {
        id: true, name: true, tier: true, createdAt: true,
        _count: { select: { memberships: true, projects: true } },
        // Many organizations share a name ("Personal"): the first owner tells them apart.
        memberships: { where: { role: "owner" }, orderBy: { createdAt: "asc" }, take: 1, select: { user: { select: { email: true } } } },
      },
    }),
    prisma.organization.count({ where }),
  ]);
  return {
    orgs: rows.map(({ _count, memberships, ...r }) => ({
      ...r, owner: memberships[0]?.user.email ?? null, members: _count.memberships, projects: _count.projects,
    })),
    total,
    shown: rows.length,
  };
}

export const setOrgTierSchema = z.object({ orgId: rowId, tier: tierField });

/** Moves an organization to another tier, recorded in that organization's audit log. */
export async function setOrgTier(actor: Actor, input: z.input<typeof setOrgTierSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(setOrgTierSchema, input);
  const prisma = await db();
  const changed = await prisma.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: d.orgId }, select: { id: true, name: true, tier: true } });
    if (!org) throw notFound("Organization");
    if (org.tier === d.tier) return null;
    await tx.organization.update({ where: { id: org.id }, data: { tier: d.tier } });
    await recordAuditEvent(tx, {
      orgId: org.id, actorId: actor.userId, action: "org.tier_changed", targetType: "organization", targetId: org.id,
      details: { from: org.tier, to: d.tier },
    });
    return { name: org.name, from: org.tier, to: d.tier };
  });
  if (changed) invalidateProjectPolicy();
  return changed;
}

/** The limits of `model` on a tier: its own row, else the tier's "*" row, else none. */
export function tierLimitFor(rows: ReadonlyMap<string, LimitValues>, model: string): { values: LimitValues; from: string | null } {
  const own = rows.get(model);
  if (own) return { values: own, from: model };
  const fallback = rows.get(DEFAULT_MODEL);
  if (fallback) return { values: fallback, from: DEFAULT_MODEL };
  return { values: { rpm: null, tpm: null, rpd: null }, from: null };
}

/** Inputs of the limit services, by operation (what their forms submit). */
export type LimitsInput<K extends "set" | "remove" | "orgTier"> = {
  set: z.input<typeof setTierLimitSchema>;
  remove: z.input<typeof removeTierLimitSchema>;
  orgTier: z.input<typeof setOrgTierSchema>;
}[K];
