import "server-only";
import { getProjectAccess, type Actor, type ProjectAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { forbidden, invalid } from "@/lib/errors";
import { getFile, listFiles } from "@/lib/files/files";
import type { FineTuningCheckpoint, FineTuningEvent, FineTuningJob } from "@/lib/generated/prisma/client";
import { getProjectPolicy } from "@/lib/gateway/policy";
import { getCatalogModel, listCatalogModels, modelUsableBy } from "@/lib/models/catalog";
import { OpenAIError } from "@/lib/openai/errors";
import { trainerFor, type JobError, type JobStatus } from "./jobs";
import type { CreateJobParams, Hyperparameters, ResolvedHyperparameters } from "./params";
import { JobFailure, type ValidationReport } from "./prepare";

// The console's view of fine-tuning: who may do what, and the plain JSON the pages and the
// job's polling route hand to the browser. Every number the charts draw is a metrics event's
// own value; nothing here computes or fills in points.

/**
 * Everyone who can see the project can follow its jobs. Creating and cancelling spend the
 * organization's money and publish models, so they are for project owners (as API keys are)
 * in an active project; members, who are organization readers, only view.
 */
export type FineTuningViewer = { access: ProjectAccess; canManage: boolean; manageNote: string | null };

export function fineTuningPolicy(access: ProjectAccess): { canManage: boolean; manageNote: string | null } {
  if (!can.manageProject(access.role)) return { canManage: false, manageNote: "Only project owners can create and cancel fine-tuning jobs." };
  if (access.projectStatus !== "active") return { canManage: false, manageNote: "This project is archived: it cannot start or cancel fine-tuning jobs." };
  return { canManage: true, manageNote: null };
}

export async function fineTuningViewer(actor: Actor, projectId: string): Promise<FineTuningViewer> {
  const access = await getProjectAccess(actor, projectId);
  return { access, ...fineTuningPolicy(access) };
}

export async function requireFineTuningManager(actor: Actor, projectId: string): Promise<ProjectAccess> {
  const viewer = await fineTuningViewer(actor, projectId);
  if (!viewer.canManage) throw forbidden(viewer.manageNote ?? undefined);
  return viewer.access;
}

/** The API's errors (same messages as /v1) and data-check failures, as form errors. */
export function asFormError(err: unknown): unknown {
  if (err instanceof OpenAIError) return invalid(err.message, err.param ? { [err.param]: err.message } : {});
  if (err instanceof JobFailure) return invalid(err.error.message, err.error.param ? { [err.error.param]: err.error.message } : {});
  return err;
}

// ---- shapes for the browser ----

/** Jobs per page of the list ("Load more" continues after the last one). */
export const JOBS_PAGE_SIZE = 20;

export type JobProgress = { step: number; totalSteps: number; epoch: number; epochs: number; elapsedMs: number };

export type JobSummary = {
  id: string;
  status: JobStatus;
  model: string;
  suffix: string | null;
  fineTunedModel: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  trainedTokens: number | null;
  progress: JobProgress | null;
};

export type ResultFile = { id: string; filename: string | null; bytes: number | null };

export type JobDetail = JobSummary & {
  trainingFile: string;
  validationFile: string | null;
  seed: number;
  estimatedFinish: number | null;
  hyperparameters: Hyperparameters;
  resolvedHyperparameters: ResolvedHyperparameters | null;
  error: JobError | null;
  validationReport: ValidationReport | null;
  resultFiles: ResultFile[];
  metadata: Record<string, string> | null;
  /** Whether the fine-tuned model is still served (it can be deleted through the API). */
  fineTunedModelAvailable: boolean;
};

/** One metrics event's data: a training step. */
export type MetricPoint = {
  step: number;
  totalSteps: number;
  epoch: number;
  trainLoss: number;
  trainAccuracy: number | null;
  validLoss: number | null;
  validAccuracy: number | null;
  tokens: number | null;
  elapsedMs: number | null;
};

export type EventRow = { id: string; createdAt: number; level: "info" | "warn" | "error"; message: string };

export type CheckpointRow = {
  id: string;
  step: number;
  epoch: number;
  modelId: string;
  createdAt: number;
  metrics: Record<string, number | null>;
  available: boolean;
};

export type JobSnapshot = {
  job: JobDetail;
  /** Metrics events after `metricsAfter` (all of them on the first load), oldest first. */
  metrics: MetricPoint[];
  /** Pass back as `metrics_after` to get only newer points. */
  metricsCursor: string;
  /** More metrics than one answer carries: ask again at once. */
  metricsMore: boolean;
  events: EventRow[];
  eventsTruncated: boolean;
  checkpoints: CheckpointRow[];
};

const ms = (d: Date | null) => (d ? d.getTime() : null);

function progressOf(v: unknown): JobProgress | null {
  if (!v || typeof v !== "object") return null;
  const p = v as Record<string, unknown>;
  const n = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  const step = n(p.step), totalSteps = n(p.totalSteps);
  if (step === null || totalSteps === null) return null;
  return { step, totalSteps, epoch: n(p.epoch) ?? 0, epochs: n(p.epochs) ?? 0, elapsedMs: n(p.elapsedMs) ?? 0 };
}

export function jobSummary(j: FineTuningJob): JobSummary {
  return {
    id: j.id,
    status: j.status as JobStatus,
    model: j.model,
    suffix: j.suffix,
    fineTunedModel: j.fineTunedModel,
    createdAt: j.createdAt.getTime(),
    startedAt: ms(j.startedAt),
    finishedAt: ms(j.finishedAt),
    trainedTokens: j.trainedTokens,
    progress: progressOf(j.progress),
  };
}

async function modelServed(projectId: string, id: string | null): Promise<boolean> {
  if (!id) return false;
  const m = await getCatalogModel(id);
  return !!m && m.projectId === projectId;
}

async function jobDetail(j: FineTuningJob): Promise<JobDetail> {
  const resultFiles = await Promise.all(
    j.resultFiles.map(async (id): Promise<ResultFile> => {
      const f = await getFile(j.projectId, id);
      return { id, filename: f?.filename ?? null, bytes: f ? Number(f.bytes) : null };
    }),
  );
  return {
    ...jobSummary(j),
    trainingFile: j.trainingFile,
    validationFile: j.validationFile,
    seed: j.seed,
    estimatedFinish: ms(j.estimatedFinish),
    hyperparameters: j.hyperparameters as Hyperparameters,
    resolvedHyperparameters: (j.resolvedHyperparameters as ResolvedHyperparameters | null) ?? null,
    error: (j.error as JobError | null) ?? null,
    validationReport: (j.validationReport as ValidationReport | null) ?? null,
    resultFiles,
    metadata: (j.metadata as Record<string, string> | null) ?? null,
    fineTunedModelAvailable: await modelServed(j.projectId, j.fineTunedModel),
  };
}

function metricPoint(data: unknown): MetricPoint | null {
  if (!data || typeof data !== "object") return null;
  const d = data as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : null);
  const step = num(d.step), trainLoss = num(d.train_loss);
  if (step === null || trainLoss === null) return null;
  return {
    step,
    totalSteps: num(d.total_steps) ?? step,
    epoch: num(d.epoch) ?? 0,
    trainLoss,
    trainAccuracy: num(d.train_mean_token_accuracy),
    validLoss: num(d.valid_loss),
    validAccuracy: num(d.valid_mean_token_accuracy),
    tokens: num(d.tokens),
    elapsedMs: num(d.elapsed_ms),
  };
}

const eventRow = (e: Pick<FineTuningEvent, "id" | "createdAt" | "level" | "message">): EventRow => ({
  id: e.id,
  createdAt: e.createdAt.getTime(),
  level: e.level === "warn" || e.level === "error" ? e.level : "info",
  message: e.message,
});

async function checkpointRow(projectId: string, c: FineTuningCheckpoint): Promise<CheckpointRow> {
  return {
    id: c.id,
    step: c.step,
    epoch: c.epoch,
    modelId: c.modelId,
    createdAt: c.createdAt.getTime(),
    metrics: (c.metrics ?? {}) as Record<string, number | null>,
    available: await modelServed(projectId, c.modelId),
  };
}

/** At most this many metric points per answer (a long job's first load continues at once). */
const METRICS_PAGE = 10_000;
/** The log shows the latest messages; step metrics are in the charts and the result file. */
const EVENTS_SHOWN = 200;

/** A job as its page shows it; `metricsAfter` is a previous answer's `metricsCursor`. */
export async function jobSnapshot(job: FineTuningJob, metricsAfter: string | null = null): Promise<JobSnapshot> {
  const prisma = await db();
  let after: bigint | null = null;
  if (metricsAfter && /^\d{1,19}$/.test(metricsAfter)) after = BigInt(metricsAfter);
  const [metricRows, eventRows, checkpoints, detail] = await Promise.all([
    prisma.fineTuningEvent.findMany({
      where: { jobId: job.id, type: "metrics", ...(after !== null ? { seq: { gt: after } } : {}) },
      orderBy: { seq: "asc" },
      take: METRICS_PAGE + 1,
      select: { seq: true, data: true },
    }),
    prisma.fineTuningEvent.findMany({
      where: { jobId: job.id, type: { not: "metrics" } },
      orderBy: { seq: "desc" },
      take: EVENTS_SHOWN + 1,
      select: { id: true, createdAt: true, level: true, message: true },
    }),
    prisma.fineTuningCheckpoint.findMany({ where: { jobId: job.id }, orderBy: { step: "desc" } }),
    jobDetail(job),
  ]);
  const page = metricRows.slice(0, METRICS_PAGE);
  const metrics = page.map((r) => metricPoint(r.data)).filter((p): p is MetricPoint => p !== null);
  return {
    job: detail,
    metrics,
    metricsCursor: (page.at(-1)?.seq ?? after ?? 0n).toString(),
    metricsMore: metricRows.length > METRICS_PAGE,
    events: eventRows.slice(0, EVENTS_SHOWN).map(eventRow),
    eventsTruncated: eventRows.length > EVENTS_SHOWN,
    checkpoints: await Promise.all(checkpoints.map((c) => checkpointRow(job.projectId, c))),
  };
}

// ---- the create form's choices ----

export type TrainableModel = { id: string; trainingPriceMicros: number; contextWindow: number | null; fineTuned: boolean };

/** Models this project can fine-tune: local chat models with a training price (see trainerFor). */
export async function trainableModels(projectId: string): Promise<TrainableModel[]> {
  const policy = await getProjectPolicy(projectId);
  const models = await listCatalogModels(policy.allowedModels, projectId);
  return models
    .filter((m) => trainerFor(m) === "local")
    .map((m) => ({ id: m.id, trainingPriceMicros: m.trainingPriceMicros ?? 0, contextWindow: m.contextWindow || null, fineTuned: m.projectId !== null }))
    .sort((a, b) => Number(a.fineTuned) - Number(b.fineTuned) || a.id.localeCompare(b.id));
}

export type TrainingFileOption = { id: string; filename: string; bytes: number; createdAt: number };

export const fileOption = (f: { id: string; filename: string; bytes: bigint | number; createdAt: Date }): TrainingFileOption => ({
  id: f.id,
  filename: f.filename,
  bytes: Number(f.bytes),
  createdAt: f.createdAt.getTime(),
});

/** The project's newest files uploaded for fine-tuning. */
export async function trainingFiles(projectId: string, limit = 100): Promise<TrainingFileOption[]> {
  const page = await listFiles(projectId, { purpose: "fine-tune", limit, order: "desc" });
  return (page?.rows ?? []).map(fileOption);
}

/**
 * The checks createJob makes before it accepts a job (model and files of the project), with
 * its messages, so that the report shown before submitting refuses what the API would.
 */
export async function checkJobInputs(projectId: string, params: CreateJobParams): Promise<void> {
  const model = await getCatalogModel(params.model);
  const policy = await getProjectPolicy(projectId);
  if (!model || !modelUsableBy(model, projectId, policy.allowedModels)) {
    throw invalid(`Model ${params.model.slice(0, 200)} is not available for fine-tuning or does not exist.`, { model: "This model is not available for fine-tuning." });
  }
  const trainer = trainerFor(model);
  if (typeof trainer === "object") throw invalid(trainer.refused, { model: trainer.refused });
  for (const [param, id] of [["training_file", params.trainingFile], ["validation_file", params.validationFile]] as const) {
    if (!id) continue;
    const file = await getFile(projectId, id);
    if (!file) throw invalid(`invalid ${param}: ${id.slice(0, 100)} (no such file in this project).`, { [param]: "No such file in this project." });
    if (file.purpose !== "fine-tune") {
      const message = `File ${file.id} has purpose '${file.purpose}'; fine-tuning reads files uploaded with purpose 'fine-tune'.`;
      throw invalid(message, { [param]: message });
    }
  }
}
