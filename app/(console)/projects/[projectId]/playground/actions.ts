"use server";

import { z } from "zod";
import { id, runAction } from "@/lib/actions";
import { deletePreset, renamePreset, savePreset, updatePresetConfig } from "@/lib/playground/presets";

// Playground presets. The service re-checks access to the project's playground and who may
// change a preset; nothing here is trusted from the client beyond its shape.

export type PresetActionResult = { ok: true; preset?: { id: string; name: string; updatedAt: string } } | { ok: false; error: string };

const toResult = (r: { ok: true; data?: { id: string; name: string; updatedAt: Date } } | { ok: false; error: string }): PresetActionResult =>
  r.ok ? { ok: true, preset: r.data ? { id: r.data.id, name: r.data.name, updatedAt: r.data.updatedAt.toISOString() } : undefined } : { ok: false, error: r.error };

const name = z.string({ error: "Give the preset a name." }).trim().min(1, "Give the preset a name.").max(100, "Preset names are at most 100 characters.");
const config = z.record(z.string(), z.unknown(), { error: "The preset's setup is not valid." });

export async function savePresetAction(projectId: string, input: { name: string; config: unknown }): Promise<PresetActionResult> {
  return toResult(
    await runAction(z.object({ projectId: id, name, config }), { projectId, ...input }, async (actor, d) => ({
      ok: true,
      data: await savePreset(actor, d.projectId, { name: d.name, config: d.config }),
    })),
  );
}

export async function updatePresetAction(projectId: string, presetId: string, presetConfig: unknown): Promise<PresetActionResult> {
  return toResult(
    await runAction(z.object({ projectId: id, presetId: id, config }), { projectId, presetId, config: presetConfig }, async (actor, d) => ({
      ok: true,
      data: await updatePresetConfig(actor, d.projectId, d.presetId, d.config),
    })),
  );
}

export async function renamePresetAction(projectId: string, presetId: string, newName: string): Promise<PresetActionResult> {
  return toResult(
    await runAction(z.object({ projectId: id, presetId: id, name }), { projectId, presetId, name: newName }, async (actor, d) => ({
      ok: true,
      data: await renamePreset(actor, d.projectId, d.presetId, d.name),
    })),
  );
}

export async function deletePresetAction(projectId: string, presetId: string): Promise<PresetActionResult> {
  return toResult(
    await runAction(z.object({ projectId: id, presetId: id }), { projectId, presetId }, async (actor, d) => {
      await deletePreset(actor, d.projectId, d.presetId);
    }),
  );
}
