import "server-only";
import { recordAuditEvent } from "@/lib/audit/audit";
import { randomId } from "@/lib/crypto/random-id";
import { db } from "@/lib/db";
import { getFile } from "@/lib/files/files";
import type { FineTuningCheckpoint, FineTuningEvent, FineTuningJob, Prisma } from "@/lib/generated/prisma/client";
import { getCatalogModel, modelUsableBy, type CatalogModel } from "@/lib/models/catalog";
import { invalidRequest, notFound } from "@/lib/openai/errors";
import type { CreateJobParams, Hyperparameters, ResolvedHyperparameters } from "./params";

// Fine-tuning jobs of a project: the service behind /v1/fine_tuning/jobs and the console's
// fine-tuning pages. Jobs are also the worker's durable queue (lib/finetune/worker.ts).

export const ACTIVE_STATUSES = ["validating_files", "queued", "running"] as const;
export type JobStatus = (typeof ACTIVE_STATUSES)[number] | "succeeded" | "failed" | "cancelled";
export const isActive = (status: string) => (ACTIVE_STATUSES as readonly string[]).includes(status);

export type JobCreator = { orgId: string; projectId: string; apiKeyId: string | null; userId: string | null };
export type JobError = { code: string; message: string; param: string | null };

const unixOrNull = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

/** OpenAI's fine_tuning.job object. */
export function jobObject(j: FineTuningJob) {
  const hyperparameters = (j.resolvedHyperparameters ?? j.hyperparameters) as Hyperparameters | ResolvedHyperparameters;
  return {
    object: "fine_tuning.job" as const,
    id: j.id,
    model: j.model,
    created_at: Math.floor(j.createdAt.getTime() / 1000),
    finished_at: unixOrNull(j.finishedAt),
    fine_tuned_model: j.fineTunedModel,
    organization_id: j.orgId,
    result_files: j.resultFiles,
    status: j.status as JobStatus,
    validation_file: j.validationFile,
    training_file: j.trainingFile,
    hyperparameters,
    method: { type: "supervised" as const, supervised: { hyperparameters } },
    trained_tokens: j.trainedTokens,
    error: (j.error as JobError | null) ?? null,
    integrations: [] as never[],
    seed: j.seed,
    estimated_finish: unixOrNull(j.estimatedFinish),
    user_provided_suffix: j.suffix,
    metadata: (j.metadata as Record<string, string> | null) ?? null,
  };
}

export function eventObject(e: FineTuningEvent) {
  return {
    object: "fine_tuning.job.event" as const,
    id: e.id,
    created_at: Math.floor(e.createdAt.getTime() / 1000),
    level: e.level as "info" | "warn" | "error",
    message: e.message,
    data: e.data ?? {},
    type: e.type as "message" | "metrics",
  };
}

export function checkpointObject(c: FineTuningCheckpoint) {
  return {
    object: "fine_tuning.job.checkpoint" as const,
    id: c.id,
    created_at: Math.floor(c.createdAt.getTime() / 1000),
    fine_tuned_model_checkpoint: c.modelId,
    fine_tuning_job_id: c.jobId,
    metrics: c.metrics as Record<string, number>,
    step_number: c.step,
  };
}

// ---- names ----

/** The organization as it appears in model names: "ft:base:<org>:suffix:id". */
export function orgSlug(name: string): string {
  const slug = name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 32).replace(/-+$/, "");
  return slug || "org";
}

/** The base a model name starts from: a fine-tuned model's own base, so names do not nest. */
export function baseNameOf(model: string): string {
  return model.startsWith("ft:") ? (model.split(":")[1] ?? model) : model;
}

export function fineTunedModelName(base: string, org: string, suffix: string | null, jobId: string): string {
  return `ft:${baseNameOf(base)}:${orgSlug(org)}:${suffix ?? ""}:${jobId.slice(-8)}`;
}

export const checkpointModelName = (fineTuned: string, step: number) => `${fineTuned}:ckpt-step-${step}`;

// ---- create ----

/** Which trainer can fine-tune a model, or why none can. */
export function trainerFor(model: CatalogModel): "local" | "upstream" | { refused: string } {
  if (!model.capabilities.includes("chat")) return { refused: `Model ${model.id} is not a chat model, so it cannot be fine-tuned on conversations.` };
  if (model.trainingPriceMicros === null) return { refused: `Model ${model.id} is not available for fine-tuning: it has no training price. An administrator can set one in the console.` };
  if (model.provider === "local") return "local";
  if (model.upstream) return "upstream";
  return { refused: `Model ${model.id} is not available for fine-tuning: its provider cannot train it.` };
}

async function checkFile(projectId: string, id: string, param: "training_file" | "validation_file") {
  const file = await getFile(projectId, id);
  if (!file) throw invalidRequest(`invalid ${param}: ${id.slice(0, 100)} (no such file in this project).`, param, "file_not_found");
  if (file.purpose !== "fine-tune") {
    throw invalidRequest(`File ${file.id} has purpose '${file.purpose}'; fine-tuning reads files uploaded with purpose 'fine-tune'.`, param, "invalid_file_purpose");
  }
  return file;
}

export async function createJob(creator: JobCreator, params: CreateJobParams) {
  const model = await getCatalogModel(params.model);
  const prisma = await db();
  const project = await prisma.project.findUnique({ where: { id: creator.projectId }, select: { allowedModels: true } });
  if (!model || !modelUsableBy(model, creator.projectId, project?.allowedModels ?? [])) {
    throw invalidRequest(`Model ${params.model.slice(0, 200)} is not available for fine-tuning or does not exist.`, "model", "model_not_available");
  }
  const trainer = trainerFor(model);
  if (typeof trainer === "object") throw invalidRequest(trainer.refused, "model", "model_not_available");
  await checkFile(creator.projectId, params.trainingFile, "training_file");
  if (params.validationFile) await checkFile(creator.projectId, params.validationFile, "validation_file");

  const id = randomId("ftjob-");
  const job = await prisma.$transaction(async (tx) => {
    const created = await tx.fineTuningJob.create({
      data: {
        id, orgId: creator.orgId, projectId: creator.projectId, apiKeyId: creator.apiKeyId, userId: creator.userId,
        model: model.id, trainer, status: "validating_files", trainingFile: params.trainingFile, validationFile: params.validationFile,
        suffix: params.suffix || null, seed: params.seed, hyperparameters: params.hyperparameters,
        metadata: params.metadata ?? undefined,
      },
    });
    await tx.fineTuningEvent.create({ data: { id: randomId("ftevent-"), jobId: id, message: `Created fine-tuning job: ${id}` } });
    await tx.fineTuningEvent.create({ data: { id: randomId("ftevent-"), jobId: id, message: `Validating training file: ${params.trainingFile}${params.validationFile ? ` and validation file: ${params.validationFile}` : ""}` } });
    await recordAuditEvent(tx, {
      orgId: creator.orgId, actorId: creator.userId, action: "fine_tuning.job_created", projectId: creator.projectId,
      targetType: "fine_tuning_job", targetId: id, details: { model: model.id, trainingFile: params.trainingFile, suffix: params.suffix, viaApiKey: creator.apiKeyId !== null },
    });
    return created;
  });
  return job;
}

// ---- read ----

export async function getJob(projectId: string, id: string) {
  const prisma = await db();
  return prisma.fineTuningJob.findFirst({ where: { id, projectId } });
}

export async function requireJob(projectId: string, id: string) {
  const job = await getJob(projectId, id);
  if (!job) throw notFound(`Could not find fine-tuning job ${id.slice(0, 100)}.`, "fine_tuning_job_id");
  return job;
}

/** Newest first; `after` is a job id (the page continues with older jobs). */
export async function listJobs(projectId: string, o: { limit: number; after?: string | null; metadata?: Record<string, string> }) {
  const prisma = await db();
  let cursor: { createdAt: Date; id: string } | null = null;
  if (o.after) {
    cursor = await prisma.fineTuningJob.findFirst({ where: { id: o.after, projectId }, select: { createdAt: true, id: true } });
    if (!cursor) return null;
  }
  const where: Prisma.FineTuningJobWhereInput = { projectId };
  if (cursor) where.OR = [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }];
  if (o.metadata && Object.keys(o.metadata).length) {
    where.AND = Object.entries(o.metadata).map(([k, v]) => ({ metadata: { path: [k], equals: v } }));
  }
  const rows = await prisma.fineTuningJob.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: o.limit + 1 });
  return { rows: rows.slice(0, o.limit), hasMore: rows.length > o.limit };
}

/** Newest first; `after` is an event id (the page continues with older events). */
export async function listEvents(jobId: string, o: { limit: number; after?: string | null }) {
  const prisma = await db();
  let before: bigint | null = null;
  if (o.after) {
    const e = await prisma.fineTuningEvent.findFirst({ where: { id: o.after, jobId }, select: { seq: true } });
    if (!e) return null;
    before = e.seq;
  }
  const rows = await prisma.fineTuningEvent.findMany({
    where: { jobId, ...(before !== null ? { seq: { lt: before } } : {}) },
    orderBy: { seq: "desc" },
    take: o.limit + 1,
  });
  return { rows: rows.slice(0, o.limit), hasMore: rows.length > o.limit };
}

/** Latest step first; `after` is a checkpoint id. */
export async function listCheckpoints(jobId: string, o: { limit: number; after?: string | null }) {
  const prisma = await db();
  let below: number | null = null;
  if (o.after) {
    const c = await prisma.fineTuningCheckpoint.findFirst({ where: { id: o.after, jobId }, select: { step: true } });
    if (!c) return null;
    below = c.step;
  }
  const rows = await prisma.fineTuningCheckpoint.findMany({
    where: { jobId, ...(below !== null ? { step: { lt: below } } : {}) },
    orderBy: { step: "desc" },
    take: o.limit + 1,
  });
  return { rows: rows.slice(0, o.limit), hasMore: rows.length > o.limit };
}

// ---- cancel ----

/**
 * Cancels a job that has not finished: at once in the database (the API answers "cancelled"),
 * and the worker training it stops within a couple of seconds (it watches the row).
 */
export async function cancelJob(projectId: string, id: string, actor: { userId: string | null; apiKeyId: string | null }) {
  const prisma = await db();
  const job = await requireJob(projectId, id);
  if (!isActive(job.status)) {
    throw invalidRequest(`Job ${job.id} has already ${job.status === "cancelled" ? "been cancelled" : job.status === "succeeded" ? "succeeded" : "failed"} and cannot be cancelled.`, "fine_tuning_job_id", "job_not_cancellable");
  }
  const now = new Date();
  const updated = await prisma.$transaction(async (tx) => {
    const r = await tx.fineTuningJob.updateMany({
      where: { id: job.id, status: { in: [...ACTIVE_STATUSES] } },
      data: { status: "cancelled", cancelRequestedAt: now, finishedAt: now, estimatedFinish: null },
    });
    if (r.count === 0) return null;
    await tx.fineTuningEvent.create({ data: { id: randomId("ftevent-"), jobId: job.id, message: "Fine-tuning job cancelled" } });
    await recordAuditEvent(tx, {
      orgId: job.orgId, actorId: actor.userId, action: "fine_tuning.job_cancelled", projectId, targetType: "fine_tuning_job", targetId: job.id,
      details: { viaApiKey: actor.apiKeyId !== null },
    });
    return tx.fineTuningJob.findUnique({ where: { id: job.id } });
  });
  if (!updated) return cancelJob(projectId, id, actor); // it finished meanwhile: answer as for a finished job
  return updated;
}

// ---- events (worker side) ----

export async function addEvent(jobId: string, message: string, o: { level?: "info" | "warn" | "error"; type?: "message" | "metrics"; data?: Prisma.InputJsonValue } = {}) {
  const prisma = await db();
  await prisma.fineTuningEvent.create({ data: { id: randomId("ftevent-"), jobId, message, level: o.level ?? "info", type: o.type ?? "message", data: o.data } });
}

export const newEventId = () => randomId("ftevent-");
export const newCheckpointId = () => randomId("ftckpt-");
