import "server-only";
import { db } from "@/lib/db";
import { getOrgAccess, type Actor } from "@/lib/auth/access";
import { can, effectiveProjectRole, type ProjectRole } from "@/lib/auth/roles";
import { DEFAULT_MODEL, tierLimitFor, type LimitValues } from "@/lib/admin/limits";
import { getTierProgress, type TierProgress } from "@/lib/billing/tiers";
import { combineLimits } from "@/lib/gateway/policy";

// What an organization's Limits page shows, read in one place: the usage tier and what the
// next one needs, the tier's per-model limits, each visible project's limits as the API
// enforces them, and the keys' own limits. Effective limits are combined exactly as
// lib/gateway/policy.ts does (tier row or tier default, then the project's "*" row, then its
// row for the model), so the page never disagrees with what a request meets.

export type { LimitValues };

const UNLIMITED: LimitValues = { rpm: null, tpm: null, rpd: null };

/** Keys listed at most; the rest are summarised (an organization rarely has this many). */
export const KEY_LIST_LIMIT = 500;

export type TierModelLimit = {
  model: string;
  values: LimitValues;
  /** True when the model has no row of its own on the tier and takes the tier default ("*"). */
  fromDefault: boolean;
};

export type EffectiveModelLimit = {
  model: string;
  /** What the API enforces for the project on this model. */
  limits: LimitValues;
  /** The tier's limit for the model, before the project's own. */
  tier: LimitValues;
  /** Per limit: whether the project's own rows make it tighter than the tier. */
  tightened: Record<keyof LimitValues, boolean>;
  /** The project has a row of its own for this model. */
  ownRow: boolean;
  /** The model is enabled in the catalog (a project row may outlive its model). */
  enabled: boolean;
};

export type ProjectLimits = {
  id: string;
  name: string;
  role: ProjectRole;
  canManage: boolean;
  /** The project's own rows, "*" (every model) first. */
  overrides: (LimitValues & { model: string; tier: LimitValues })[];
  /** Every enabled model, then models only the project's rows name. */
  effective: EffectiveModelLimit[];
};

export type KeyLimits = {
  id: string;
  name: string;
  redactedValue: string;
  projectId: string;
  projectName: string;
  /** The key's owner: a user's email, or a service account's name. */
  owner: string | null;
  serviceAccount: boolean;
  rpmLimit: number | null;
  tpmLimit: number | null;
  expired: boolean;
  canManage: boolean;
};

export type LimitsOverview = {
  orgId: string;
  orgName: string;
  orgRole: "owner" | "reader";
  tier: number;
  progress: TierProgress;
  defaultTierLimit: LimitValues;
  /** The tier's limits for every enabled model, by model id. */
  models: TierModelLimit[];
  projects: ProjectLimits[];
  keys: KeyLimits[];
  /** Live keys in the visible projects, including any past KEY_LIST_LIMIT. */
  keyCount: number;
};

function pick(v: { rpm: number | null; tpm: number | null; rpd: number | null }): LimitValues {
  return { rpm: v.rpm, tpm: v.tpm, rpd: v.rpd };
}

/**
 * Everything the Limits page shows, for any member of the organization. Readers see the
 * projects they belong to; organization owners see every active project. `canManage` marks
 * what the viewer may change (the services check again).
 */
export async function getLimitsOverview(actor: Actor, orgId: string, now = new Date()): Promise<LimitsOverview> {
  const access = await getOrgAccess(actor, orgId);
  const prisma = await db();
  const [org, enabledModels, projects, progress] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: access.orgId }, select: { tier: true } }),
    prisma.model.findMany({ where: { enabled: true }, orderBy: { id: "asc" }, select: { id: true } }),
    prisma.project.findMany({
      where: {
        orgId: access.orgId,
        status: "active",
        ...(can.manageOrg(access.role) ? {} : { memberships: { some: { userId: actor.userId } } }),
      },
      orderBy: { createdAt: "asc" },
      select: {
        id: true, name: true,
        memberships: { where: { userId: actor.userId }, select: { role: true } },
        modelLimits: true,
      },
    }),
    getTierProgress(access.orgId, now),
  ]);
  // The tier as the policy would read it now (getTierProgress read it too; they agree unless
  // an administrator moved the organization in between, and the policy reads it the same way).
  const tier = org.tier;
  const tierRows = new Map(
    (await prisma.tierLimit.findMany({ where: { tier } })).map((r) => [r.model, pick(r)] as const),
  );
  const tierOf = (model: string) => tierLimitFor(tierRows, model);
  const enabledIds = enabledModels.map((m) => m.id);
  const enabledSet = new Set(enabledIds);

  const projectViews: ProjectLimits[] = projects.map((p) => {
    const role = effectiveProjectRole(access.role, p.memberships[0]?.role ?? null) ?? "member";
    const own = new Map(p.modelLimits.map((l) => [l.model, pick(l)] as const));
    const overrides = [...own.entries()]
      .sort(([a], [b]) => Number(b === DEFAULT_MODEL) - Number(a === DEFAULT_MODEL) || a.localeCompare(b))
      .map(([model, v]) => ({ model, ...v, tier: tierOf(model).values }));
    const extra = [...own.keys()].filter((m) => m !== DEFAULT_MODEL && !enabledSet.has(m)).sort();
    const effective = [...enabledIds, ...extra].map((model): EffectiveModelLimit => {
      const t = tierOf(model).values;
      const limits = pick(combineLimits(t, own.get(DEFAULT_MODEL), own.get(model)));
      return {
        model,
        limits,
        tier: t,
        tightened: {
          rpm: limits.rpm !== t.rpm,
          tpm: limits.tpm !== t.tpm,
          rpd: limits.rpd !== t.rpd,
        },
        ownRow: own.has(model),
        enabled: enabledSet.has(model),
      };
    });
    return { id: p.id, name: p.name, role, canManage: can.manageProject(role), overrides, effective };
  });

  const projectIds = projectViews.map((p) => p.id);
  const byId = new Map(projectViews.map((p) => [p.id, p]));
  const keyWhere = { projectId: { in: projectIds }, revokedAt: null };
  const [keyRows, keyCount] = await Promise.all([
    prisma.apiKey.findMany({
      where: keyWhere,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: KEY_LIST_LIMIT,
      select: {
        id: true, name: true, redactedValue: true, projectId: true, rpmLimit: true, tpmLimit: true, expiresAt: true,
        owner: { select: { email: true } },
        serviceAccount: { select: { name: true } },
      },
    }),
    prisma.apiKey.count({ where: keyWhere }),
  ]);
  // Grouped by project in the page's project order, newest key first within each.
  const order = new Map(projectIds.map((id, i) => [id, i]));
  const keys = keyRows
    .map((k): KeyLimits => {
      const project = byId.get(k.projectId)!;
      return {
        id: k.id,
        name: k.name,
        redactedValue: k.redactedValue,
        projectId: k.projectId,
        projectName: project.name,
        owner: k.serviceAccount ? k.serviceAccount.name : (k.owner?.email ?? null),
        serviceAccount: k.serviceAccount !== null,
        rpmLimit: k.rpmLimit,
        tpmLimit: k.tpmLimit,
        expired: k.expiresAt !== null && k.expiresAt.getTime() <= now.getTime(),
        canManage: project.canManage,
      };
    })
    .sort((a, b) => order.get(a.projectId)! - order.get(b.projectId)!);

  return {
    orgId: access.orgId,
    orgName: access.orgName,
    orgRole: access.role,
    tier,
    progress,
    defaultTierLimit: tierRows.get(DEFAULT_MODEL) ?? UNLIMITED,
    models: enabledIds.map((model) => {
      const t = tierOf(model);
      return { model, values: t.values, fromDefault: t.from !== model };
    }),
    projects: projectViews,
    keys,
    keyCount,
  };
}
