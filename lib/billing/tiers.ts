import "server-only";
import { db } from "@/lib/db";
import { recordAuditEvent } from "@/lib/audit/audit";
import { invalidateProjectPolicy } from "@/lib/gateway/policy";
import { log } from "@/lib/log";
import { formatUsd } from "./money";
import { paymentsOf } from "./ledger";
import { listTierRequirements, type TierRequirement } from "./settings";

// Automatic tier advancement: an organization moves up to the highest tier whose requirements
// (cumulative payments, days since the first payment) it meets. Never down: administrators
// move organizations down by hand (lib/admin/limits.ts). Each move is in the audit log.

const DAY_MS = 86_400_000;

export type TierProgress = {
  tier: number;
  paidMicros: bigint;
  firstPaymentAt: Date | null;
  /** Whole days since the first payment (0 without one). */
  daysSinceFirstPayment: number;
  requirements: TierRequirement[];
  /** The next tier up and what is still missing for it; null at the top tier. */
  next: { tier: number; paidMicros: bigint; daysSinceFirstPayment: number; missingMicros: bigint; missingDays: number } | null;
};

function qualifiedTier(requirements: TierRequirement[], paid: bigint, days: number, firstPaymentAt: Date | null): number {
  let tier = 1;
  for (const r of requirements) {
    const paysEnough = paid >= r.paidMicros && (r.paidMicros === 0n || firstPaymentAt !== null);
    if (paysEnough && days >= r.daysSinceFirstPayment && r.tier > tier) tier = r.tier;
  }
  return tier;
}

export async function getTierProgress(orgId: string, now = new Date()): Promise<TierProgress> {
  const prisma = await db();
  const [org, payments, requirements] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: orgId }, select: { tier: true } }),
    paymentsOf(orgId),
    listTierRequirements(),
  ]);
  const days = payments.firstPaymentAt ? Math.floor((now.getTime() - payments.firstPaymentAt.getTime()) / DAY_MS) : 0;
  const nextReq = requirements.filter((r) => r.tier > org.tier).sort((a, b) => a.tier - b.tier)[0] ?? null;
  return {
    tier: org.tier,
    paidMicros: payments.paidMicros,
    firstPaymentAt: payments.firstPaymentAt,
    daysSinceFirstPayment: days,
    requirements,
    next: nextReq
      ? {
          tier: nextReq.tier,
          paidMicros: nextReq.paidMicros,
          daysSinceFirstPayment: nextReq.daysSinceFirstPayment,
          missingMicros: nextReq.paidMicros > payments.paidMicros ? nextReq.paidMicros - payments.paidMicros : 0n,
          missingDays: Math.max(0, nextReq.daysSinceFirstPayment - days),
        }
      : null,
  };
}

/**
 * Moves organizations up to the tier they qualify for: the ones given, or every organization
 * that has made a payment. Returns the moves made.
 */
export async function advanceTiers(opts: { orgIds?: string[]; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const prisma = await db();
  const requirements = await listTierRequirements();
  const orgIds =
    opts.orgIds ??
    (await prisma.creditEntry.findMany({ where: { kind: "topup" }, distinct: ["orgId"], select: { orgId: true } })).map((r) => r.orgId);
  const moves: { orgId: string; from: number; to: number }[] = [];
  for (const orgId of orgIds) {
    const payments = await paymentsOf(orgId);
    const days = payments.firstPaymentAt ? Math.floor((now.getTime() - payments.firstPaymentAt.getTime()) / DAY_MS) : 0;
    const target = qualifiedTier(requirements, payments.paidMicros, days, payments.firstPaymentAt);
    const moved = await prisma.$transaction(async (tx) => {
      const before = await tx.organization.findUnique({ where: { id: orgId }, select: { tier: true } });
      if (!before || before.tier >= target) return null;
      // Conditional update: two instances advancing at once move the organization once.
      const r = await tx.organization.updateMany({ where: { id: orgId, tier: before.tier }, data: { tier: target } });
      if (r.count === 0) return null;
      const req = requirements.find((q) => q.tier === target)!;
      await recordAuditEvent(tx, {
        orgId, actorId: null, action: "org.tier_advanced", targetType: "organization", targetId: orgId,
        details: { from: before.tier, to: target, paid: formatUsd(payments.paidMicros), daysSinceFirstPayment: days, requires: { paid: formatUsd(req.paidMicros), days: req.daysSinceFirstPayment } },
      });
      return { orgId, from: before.tier, to: target };
    });
    if (moved) {
      moves.push(moved);
      log.info("organization tier advanced", { orgId, tier: target });
    }
  }
  if (moves.length) invalidateProjectPolicy();
  return moves;
}
