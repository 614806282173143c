import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { getProjectAccess, requireProjectOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { invalid, notFound } from "@/lib/errors";
import { invalidateProjectPolicy } from "@/lib/gateway/policy";
import { DEFAULT_MODEL, limitModelField, tierLimitFor, type LimitValues } from "./limits";
import { checkboxField, limitField, parseOrThrow, rowId, stringList } from "./validation";

// A project's API settings: which models it may use, whether request and response bodies are
// stored, whether members (not only owners) may use the playground, and its own per-model limits (never above its organization's tier). Project owners
// change them; every member may read them. Changes drop the cached policy so the API applies
// them at once on this instance.

const LIMIT_LABELS = { rpm: "RPM", tpm: "TPM", rpd: "RPD" } as const;
type LimitKey = keyof typeof LIMIT_LABELS;
const LIMIT_KEYS = Object.keys(LIMIT_LABELS) as LimitKey[];

async function tierRows(tier: number): Promise<Map<string, LimitValues>> {
  const prisma = await db();
  const rows = await prisma.tierLimit.findMany({ where: { tier } });
  return new Map(rows.map((r) => [r.model, { rpm: r.rpm, tpm: r.tpm, rpd: r.rpd }]));
}

/** Everything the settings page shows: the settings, the models to choose from, and the limits in force. */
export async function getProjectApiSettings(actor: Actor, projectId: string) {
  const access = await getProjectAccess(actor, projectId);
  const prisma = await db();
  const [project, models] = await Promise.all([
    prisma.project.findUnique({
      where: { id: access.projectId },
      select: { allowedModels: true, storeBodies: true, playgroundForMembers: true, org: { select: { tier: true } }, modelLimits: { orderBy: { model: "asc" } } },
    }),
    prisma.model.findMany({ where: { enabled: true }, orderBy: { id: "asc" }, select: { id: true, capabilities: true } }),
  ]);
  if (!project) throw notFound("Project");
  const tier = project.org.tier;
  const rows = await tierRows(tier);
  const limitOf = (model: string) => {
    const t = tierLimitFor(rows, model);
    return { tierLimit: t.values, tierLimitFrom: t.from };
  };
  return {
    access,
    tier,
    allowedModels: project.allowedModels,
    storeBodies: project.storeBodies,
    playgroundForMembers: project.playgroundForMembers,
    models: models.map((m) => ({ id: m.id, capabilities: m.capabilities, ...limitOf(m.id) })),
    defaultTierLimit: limitOf(DEFAULT_MODEL).tierLimit,
    limits: project.modelLimits.map((l) => ({ model: l.model, rpm: l.rpm, tpm: l.tpm, rpd: l.rpd, ...limitOf(l.model) })),
  };
}

export const updateApiSettingsSchema = z.object({
  projectId: rowId,
  allowedModels: stringList.pipe(z.array(z.string().max(200)).max(1000, "Choose at most 1,000 models")),
  storeBodies: checkboxField,
  playgroundForMembers: checkboxField,
});

/** Saves the allow-list (empty = every enabled model), body storage and who may use the playground. */
export async function updateProjectApiSettings(actor: Actor, input: z.input<typeof updateApiSettingsSchema>) {
  const d = parseOrThrow(updateApiSettingsSchema, input);
  const access = await requireProjectOwner(actor, d.projectId);
  const prisma = await db();
  const allowed = [...new Set(d.allowedModels)].sort();
  await prisma.$transaction(async (tx) => {
    const project = await tx.project.findUniqueOrThrow({ where: { id: access.projectId }, select: { allowedModels: true, storeBodies: true } });
    // Ids already on the list may stay even if the model has since gone (it keeps the list
    // from silently widening to "all models"); new ones must exist.
    const added = allowed.filter((m) => !project.allowedModels.includes(m));
    if (added.length) {
      const known = await tx.model.findMany({ where: { id: { in: added } }, select: { id: true } });
      const unknown = added.filter((m) => !known.some((k) => k.id === m));
      if (unknown.length) throw invalid(`Unknown model: ${unknown.slice(0, 3).join(", ")}.`, { allowedModels: `Unknown model: ${unknown[0]}` });
    }
    await tx.project.update({ where: { id: access.projectId }, data: { allowedModels: allowed, storeBodies: d.storeBodies, playgroundForMembers: d.playgroundForMembers } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project.api_settings_changed", projectId: access.projectId,
      targetType: "project", targetId: access.projectId,
      details: { allowedModels: allowed.length ? allowed : "all models", storeBodies: d.storeBodies, playgroundForMembers: d.playgroundForMembers },
    });
  });
  invalidateProjectPolicy(access.projectId);
}

export const setProjectLimitSchema = z
  .object({ projectId: rowId, model: limitModelField, rpm: limitField, tpm: limitField, rpd: limitField })
  .refine((d) => d.rpm !== null || d.tpm !== null || d.rpd !== null, { path: ["rpm"], message: "Set at least one limit, or remove this model's limits" });

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Sets the project's own limits for a model ("*" = every model). Each must be at or below the
 * organization's tier limit for that model; the error names the limit in force.
 */
export async function setProjectModelLimit(actor: Actor, input: z.input<typeof setProjectLimitSchema>) {
  const d = parseOrThrow(setProjectLimitSchema, input);
  const access = await requireProjectOwner(actor, d.projectId);
  const prisma = await db();
  if (d.model !== DEFAULT_MODEL) {
    const exists = await prisma.model.findUnique({ where: { id: d.model }, select: { id: true } });
    if (!exists) throw invalid(`Unknown model: ${d.model}.`, { model: "Choose a model" });
  }
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: access.orgId }, select: { tier: true } });
  const inForce = tierLimitFor(await tierRows(org.tier), d.model);
  const fieldErrors: Record<string, string> = {};
  for (const k of LIMIT_KEYS) {
    const max = inForce.values[k];
    const v = d[k];
    if (v !== null && max !== null && v > max) {
      const scope = inForce.from === DEFAULT_MODEL && d.model !== DEFAULT_MODEL ? "default limit for every model" : `limit for ${d.model === DEFAULT_MODEL ? "every model" : d.model}`;
      fieldErrors[k] = `At most ${fmt(max)}: the organization's tier ${org.tier} ${LIMIT_LABELS[k]} ${scope}`;
    }
  }
  if (Object.keys(fieldErrors).length) {
    throw invalid(`A project's limits cannot exceed its organization's tier. ${Object.values(fieldErrors)[0]}.`, fieldErrors);
  }
  const values = { rpm: d.rpm, tpm: d.tpm, rpd: d.rpd };
  await prisma.$transaction(async (tx) => {
    await tx.projectModelLimit.upsert({
      where: { projectId_model: { projectId: access.projectId, model: d.model } },
      create: { projectId: access.projectId, model: d.model, ...values },
      update: values,
    });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project.model_limit_set", projectId: access.projectId,
      targetType: "project", targetId: access.projectId, details: { model: d.model, ...values },
    });
  });
  invalidateProjectPolicy(access.projectId);
}

export const removeProjectLimitSchema = z.object({ projectId: rowId, model: limitModelField });

export async function removeProjectModelLimit(actor: Actor, input: z.input<typeof removeProjectLimitSchema>) {
  const d = parseOrThrow(removeProjectLimitSchema, input);
  const access = await requireProjectOwner(actor, d.projectId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const r = await tx.projectModelLimit.deleteMany({ where: { projectId: access.projectId, model: d.model } });
    if (r.count === 0) throw notFound("Model limit");
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project.model_limit_removed", projectId: access.projectId,
      targetType: "project", targetId: access.projectId, details: { model: d.model },
    });
  });
  invalidateProjectPolicy(access.projectId);
}

/** Inputs of the project API settings services, by operation (what their forms submit). */
export type ProjectApiInput<K extends "settings" | "setLimit" | "removeLimit"> = {
  settings: z.input<typeof updateApiSettingsSchema>;
  setLimit: z.input<typeof setProjectLimitSchema>;
  removeLimit: z.input<typeof removeProjectLimitSchema>;
}[K];
