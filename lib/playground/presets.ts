import "server-only";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/access";
import { forbidden, invalid, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { playgroundAccess } from "./caller";
import { parsePlaygroundConfig } from "./config";

// Saved playground setups of a project. Anyone who may use the project's playground can save,
// load and share them (by link, to the project's members); renaming and deleting are for the
// preset's author and the project's owners.

export const MAX_PRESET_BYTES = 256 * 1024;
export const MAX_PRESETS_PER_PROJECT = 500;

export type PresetSummary = { id: string; name: string; updatedAt: string; createdBy: string | null; mine: boolean };

async function requirePlayground(actor: Actor, projectId: string) {
  const { access, verdict } = await playgroundAccess(actor.userId, projectId);
  if (!verdict.allowed) throw forbidden(verdict.reason);
  return access;
}

export function checkPresetName(name: string): string {
  const clean = name.trim();
  if (!clean) throw invalid("Give the preset a name.", { name: "Give the preset a name." });
  if (clean.length > 100) throw invalid("Preset names are at most 100 characters.", { name: "At most 100 characters." });
  return clean;
}

function checkConfig(input: unknown): Prisma.InputJsonObject {
  const config = parsePlaygroundConfig(input);
  if (!config) throw invalid("The preset's setup is not valid.");
  const size = Buffer.byteLength(JSON.stringify(config), "utf8");
  if (size > MAX_PRESET_BYTES) throw invalid(`This setup is too large to save (${Math.ceil(size / 1024)} KB; the limit is ${MAX_PRESET_BYTES / 1024} KB). Remove attached images or long messages first.`);
  return config as Prisma.InputJsonObject;
}

export async function listPresets(actor: Actor, projectId: string): Promise<PresetSummary[]> {
  const access = await requirePlayground(actor, projectId);
  const prisma = await db();
  const rows = await prisma.playgroundPreset.findMany({
    where: { projectId: access.projectId },
    orderBy: { updatedAt: "desc" },
    select: { id: true, name: true, updatedAt: true, createdById: true, createdBy: { select: { name: true, email: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    updatedAt: r.updatedAt.toISOString(),
    createdBy: r.createdBy ? r.createdBy.name || r.createdBy.email : null,
    mine: r.createdById === actor.userId,
  }));
}

/** A preset's saved setup, or null when it does not exist in this project. */
export async function getPresetConfig(actor: Actor, projectId: string, presetId: string): Promise<{ id: string; name: string; config: unknown } | null> {
  const access = await requirePlayground(actor, projectId);
  const prisma = await db();
  const row = await prisma.playgroundPreset.findFirst({ where: { id: presetId, projectId: access.projectId }, select: { id: true, name: true, config: true } });
  return row;
}

export async function savePreset(actor: Actor, projectId: string, input: { name: string; config: unknown }) {
  const access = await requirePlayground(actor, projectId);
  const name = checkPresetName(input.name);
  const config = checkConfig(input.config);
  const prisma = await db();
  const count = await prisma.playgroundPreset.count({ where: { projectId: access.projectId } });
  if (count >= MAX_PRESETS_PER_PROJECT) throw invalid(`This project already has ${MAX_PRESETS_PER_PROJECT} presets. Delete some first.`);
  return prisma.playgroundPreset.create({
    data: { projectId: access.projectId, createdById: actor.userId, name, config },
    select: { id: true, name: true, updatedAt: true },
  });
}

/** Overwrites a preset's setup (its author or a project owner). */
export async function updatePresetConfig(actor: Actor, projectId: string, presetId: string, configInput: unknown) {
  const { access, row } = await editable(actor, projectId, presetId);
  const config = checkConfig(configInput);
  const prisma = await db();
  return prisma.playgroundPreset.update({ where: { id: row.id, projectId: access.projectId }, data: { config }, select: { id: true, name: true, updatedAt: true } });
}

async function editable(actor: Actor, projectId: string, presetId: string) {
  const access = await requirePlayground(actor, projectId);
  const prisma = await db();
  const row = await prisma.playgroundPreset.findFirst({ where: { id: presetId, projectId: access.projectId }, select: { id: true, createdById: true } });
  if (!row) throw notFound("Preset");
  if (row.createdById !== actor.userId && access.role !== "owner") throw forbidden("Only the preset's author or a project owner can change it.");
  return { access, row };
}

export async function renamePreset(actor: Actor, projectId: string, presetId: string, newName: string) {
  const { access, row } = await editable(actor, projectId, presetId);
  const name = checkPresetName(newName);
  const prisma = await db();
  return prisma.playgroundPreset.update({ where: { id: row.id, projectId: access.projectId }, data: { name }, select: { id: true, name: true, updatedAt: true } });
}

export async function deletePreset(actor: Actor, projectId: string, presetId: string) {
  const { access, row } = await editable(actor, projectId, presetId);
  const prisma = await db();
  await prisma.playgroundPreset.delete({ where: { id: row.id, projectId: access.projectId } });
}
