import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { recordAuditEvent } from "@/lib/audit/audit";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { getCatalogModel, invalidateCatalog, type CatalogModel } from "@/lib/models/catalog";
import { deleteModel as deleteUpstreamModel } from "./upstream";

// Fine-tuned models (and checkpoints) in the catalog: rows owned by one project, served by the
// local provider from the GGUF the trainer wrote under DATA_DIR/fine-tuning/<job>/.

export function jobWorkDir(jobId: string): string {
  return path.join(getConfig().dataDir, "fine-tuning", jobId.replace(/[^\w-]/g, "_"));
}

/**
 * Adds (or refreshes) a fine-tuned model with the base's capabilities, context and prices:
 * served locally from the GGUF the trainer wrote, or by the base's upstream under the name the
 * upstream gave it.
 */
export async function registerFineTunedModel(m: { id: string; base: CatalogModel; projectId: string; orgId: string; jobId: string; served: { gguf: string } | { upstreamId: string } }) {
  const prisma = await db();
  const serving = "gguf" in m.served
    ? { provider: "local", upstreamId: m.served.gguf, connectionId: null }
    : { provider: m.base.provider, upstreamId: m.served.upstreamId, connectionId: m.base.connectionId };
  const data = {
    ...serving, contextWindow: m.base.contextWindow, capabilities: m.base.capabilities,
    inputPriceMicros: m.base.inputPriceMicros, cachedInputPriceMicros: m.base.cachedInputPriceMicros, outputPriceMicros: m.base.outputPriceMicros,
    trainingPriceMicros: m.base.trainingPriceMicros, ownedBy: m.orgId, source: "fine-tune", projectId: m.projectId, fineTuningJobId: m.jobId, enabled: true,
  };
  await prisma.model.upsert({ where: { id: m.id }, create: { id: m.id, ...data }, update: data });
  invalidateCatalog();
}

/**
 * Deletes a project's fine-tuned model (or checkpoint): gone from /v1/models and the API at
 * once; its GGUF is removed unless another model row still serves it. Usage history keeps the name.
 */
export async function deleteFineTunedModel(projectId: string, id: string, actor: { userId: string | null; apiKeyId: string | null }) {
  const prisma = await db();
  const served = await getCatalogModel(id);
  const model = await prisma.$transaction(async (tx) => {
    const row = await tx.model.findFirst({ where: { id, projectId, source: "fine-tune" } });
    if (!row) return null;
    await tx.model.delete({ where: { id: row.id } });
    const project = await tx.project.findUnique({ where: { id: projectId }, select: { orgId: true } });
    if (project) {
      await recordAuditEvent(tx, {
        orgId: project.orgId, actorId: actor.userId, action: "fine_tuning.model_deleted", projectId, targetType: "model", targetId: row.id,
        details: { job: row.fineTuningJobId, viaApiKey: actor.apiKeyId !== null },
      });
    }
    return row;
  });
  invalidateCatalog();
  if (!model) return false;
  const stillUsed = await prisma.model.count({ where: { upstreamId: model.upstreamId } });
  if (stillUsed) return true;
  if (model.provider === "local") {
    await fs.rm(model.upstreamId, { force: true }).catch((err) => log.warn("fine-tuned model file not removed", { model: id, error: (err as Error).message }));
  } else if (served?.upstream && !model.id.includes(":ckpt-step-")) {
    // The upstream's fine-tuned model goes too (its checkpoints are not deletable there).
    await deleteUpstreamModel(served.upstream, model.upstreamId).catch((err) => log.warn("upstream fine-tuned model not deleted", { model: id, error: (err as Error).message }));
  }
  return true;
}
