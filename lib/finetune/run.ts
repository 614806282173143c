import "server-only";
import { Readable } from "node:stream";
import { db } from "@/lib/db";
import { storeFile } from "@/lib/files/files";
import type { FineTuningJob, Prisma } from "@/lib/generated/prisma/client";
import type { CatalogModel } from "@/lib/models/catalog";
import { csvLine } from "@/lib/usage/csv";
import { flushUsage, recordUsage } from "@/lib/usage/recorder";
import { trainingCostMicros } from "./prepare";

// What a trainer gets from the worker for one job, and the steps both trainers end with.

/** Why training stopped without finishing: the job was cancelled, the server is stopping, or another worker took the job. */
export class StopTraining extends Error {
  constructor(readonly why: "cancelled" | "shutdown" | "lease_lost") {
    super(why);
  }
}

export type JobRun = {
  job: FineTuningJob;
  /** Aborts with a StopTraining reason. */
  signal: AbortSignal;
  /** Moves the job on while this worker holds it and it is not finished; false when it was cancelled or taken over. */
  update(data: Prisma.FineTuningJobUpdateManyMutationInput): Promise<boolean>;
};

/** Like `update`, but a cancelled or taken-over job stops the run. */
export async function advance(run: JobRun, data: Prisma.FineTuningJobUpdateManyMutationInput) {
  if (!(await run.update(data))) throw new StopTraining("cancelled");
}

export function resultOwner(job: FineTuningJob) {
  return { orgId: job.orgId, projectId: job.projectId, apiKeyId: job.apiKeyId, userId: job.userId };
}

/** The job's metrics as CSV (OpenAI's result file columns), stored as a file of the project. */
export async function writeMetricsFile(job: FineTuningJob): Promise<string> {
  const prisma = await db();
  const events = await prisma.fineTuningEvent.findMany({ where: { jobId: job.id, type: "metrics" }, orderBy: { seq: "asc" }, select: { data: true } });
  const lines = [csvLine(["step", "train_loss", "train_accuracy", "valid_loss", "valid_mean_token_accuracy"])];
  for (const e of events) {
    const d = (e.data ?? {}) as Record<string, number | null | undefined>;
    lines.push(csvLine([d.step, d.train_loss, d.train_mean_token_accuracy, d.valid_loss ?? null, d.valid_mean_token_accuracy ?? null]));
  }
  const file = await storeFile(resultOwner(job), { purpose: "fine-tune-results", filename: "step_metrics.csv", source: Readable.from(lines), maxBytes: Number.MAX_SAFE_INTEGER });
  return file.id;
}

/**
 * Trained tokens at the base model's training price, as a usage event keyed by the job id: the
 * ledger posts it like any usage. Exactly once, whatever restarts happen: an event already
 * written for the job is not written again.
 */
export async function chargeTraining(job: FineTuningJob, base: CatalogModel, trainedTokens: number) {
  const prisma = await db();
  const current = await prisma.fineTuningJob.findUnique({ where: { id: job.id }, select: { billedAt: true } });
  if (current?.billedAt) return;
  const written = await prisma.usageEvent.count({ where: { requestId: job.id, endpoint: "fine_tuning.jobs" } });
  if (!written) {
    recordUsage({
      requestId: job.id, orgId: job.orgId, projectId: job.projectId, apiKeyId: job.apiKeyId, userId: job.userId,
      endpoint: "fine_tuning.jobs", model: base.id, provider: base.provider, promptTokens: trainedTokens, cachedTokens: 0, completionTokens: 0,
      costMicros: trainingCostMicros(trainedTokens, base.trainingPriceMicros ?? 0),
      latencyMs: Math.min(2 ** 31 - 1, Date.now() - (job.startedAt ?? job.createdAt).getTime()),
      ttftMs: null, status: 200, errorCode: null, streamed: false, cancelled: false,
    });
    await flushUsage();
  }
  await prisma.fineTuningJob.update({ where: { id: job.id }, data: { billedAt: new Date() } });
}
