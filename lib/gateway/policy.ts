import "server-only";
import { db } from "@/lib/db";
import type { LimitSpec } from "@/lib/limits/rate-limiter";
import { getBillingSettings } from "@/lib/billing/settings";
import { RefreshAheadCache } from "@/lib/refresh-ahead-cache";

// What the API needs to know about a project on every request, cached briefly (and reloaded in
// the background while in use: lib/refresh-ahead-cache.ts) so the hot path makes no database
// round trip: its model allow-list, body storage, and the limits in force.

type Limits = { rpm: number | null; tpm: number | null; rpd: number | null };

export type ProjectPolicy = {
  projectId: string;
  orgId: string;
  tier: number;
  allowedModels: string[];
  storeBodies: boolean;
  /** Spend limits the API enforces: prepaid credit, and the monthly hard caps of the org and project budgets. */
  spend: { credit: boolean; orgCapMicros: bigint | null; projectCapMicros: bigint | null };
  /** Org tier limits for a model, tightened by the project's own limits where set. */
  limitsFor(model: string): LimitSpec;
};

const POLICY_TTL_MS = 5_000;
const g = globalThis as unknown as { __gatehousePolicies?: RefreshAheadCache<string, ProjectPolicy> };
const cache = () => (g.__gatehousePolicies ??= new RefreshAheadCache({ name: "project policy cache", max: 10_000, ttlMs: POLICY_TTL_MS, load }));

/** The tighter of two limits, where null means "no limit". */
function tighter(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export function combineLimits(base: Limits, ...overrides: (Partial<Limits> | null | undefined)[]): LimitSpec {
  let out: Limits = { ...base };
  for (const o of overrides) {
    if (!o) continue;
    out = { rpm: tighter(out.rpm, o.rpm ?? null), tpm: tighter(out.tpm, o.tpm ?? null), rpd: tighter(out.rpd, o.rpd ?? null) };
  }
  return out;
}

async function load(projectId: string): Promise<ProjectPolicy> {
  const prisma = await db();
  const project = await prisma.project.findUniqueOrThrow({
    where: { id: projectId },
    select: { id: true, orgId: true, allowedModels: true, storeBodies: true, org: { select: { tier: true } }, modelLimits: true },
  });
  const tier = project.org.tier;
  const [tierRows, budgets, billing] = await Promise.all([
    prisma.tierLimit.findMany({ where: { tier } }),
    prisma.budget.findMany({ where: { scope: { in: [`org:${project.orgId}`, `project:${project.id}`] } }, select: { scope: true, capMicros: true } }),
    getBillingSettings(),
  ]);
  const tierLimits = new Map(tierRows.map((r) => [r.model, { rpm: r.rpm, tpm: r.tpm, rpd: r.rpd }]));
  const projectLimits = new Map(project.modelLimits.map((r) => [r.model, { rpm: r.rpm, tpm: r.tpm, rpd: r.rpd }]));
  const unlimited: Limits = { rpm: null, tpm: null, rpd: null };
  return {
    projectId: project.id,
    orgId: project.orgId,
    tier,
    allowedModels: project.allowedModels,
    storeBodies: project.storeBodies,
    spend: {
      credit: billing.enforceCredit,
      orgCapMicros: budgets.find((b) => b.scope === `org:${project.orgId}`)?.capMicros ?? null,
      projectCapMicros: budgets.find((b) => b.scope === `project:${project.id}`)?.capMicros ?? null,
    },
    limitsFor(model) {
      const base = tierLimits.get(model) ?? tierLimits.get("*") ?? unlimited;
      return combineLimits(base, projectLimits.get("*"), projectLimits.get(model));
    },
  };
}

export function getProjectPolicy(projectId: string): Promise<ProjectPolicy> {
  return cache().get(projectId);
}

/** Console changes to a project's settings or limits apply at once on this instance. */
export function invalidateProjectPolicy(projectId?: string) {
  if (projectId) cache().delete(projectId);
  else cache().clear();
}
