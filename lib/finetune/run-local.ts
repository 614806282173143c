import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { addEvent, checkpointModelName, fineTunedModelName, newCheckpointId, newEventId } from "./jobs";
import { jobWorkDir, registerFineTunedModel } from "./models";
import { LOCAL_BASE_LEARNING_RATE, type Hyperparameters } from "./params";
import { JobFailure, prepareTraining } from "./prepare";
import { advance, chargeTraining, writeMetricsFile, type JobRun } from "./run";
import { trainLocal, type StepMetrics } from "./trainer";

// The local trainer's side of a job: check and tokenize the files, train in worker threads
// (lib/finetune/trainer), record metrics, checkpoints (each a model) and the result.

/** Metric events are written in batches, at most this often. */
const METRICS_FLUSH_MS = 1_000;

export function trainingThreads(): number {
  return getConfig().FINE_TUNING_THREADS ?? Math.max(1, os.availableParallelism());
}

export async function runLocalJob(run: JobRun) {
  const { job, signal } = run;
  const prisma = await db();
  const { base, train, validation, hyper, report } = await prepareTraining({ ...job, hyperparameters: job.hyperparameters as Hyperparameters }, signal);
  signal.throwIfAborted();
  if (report.error) throw new JobFailure(report.error);
  if (job.status === "validating_files") {
    await advance(run, { status: "queued", validationReport: report, resolvedHyperparameters: hyper });
    await addEvent(job.id, `Files validated: ${train.examples.length} training examples (${train.tokens.total.toLocaleString("en-US")} tokens)${validation ? `, ${validation.examples.length} validation examples` : ""}. Moving job to queued state`);
  }

  const workDir = jobWorkDir(job.id);
  const resumeFrom = job.resumeState && fs.existsSync(job.resumeState) ? job.resumeState : undefined;
  // The trainer names a state after its step (checkpoint-<step>.state).
  const resumedStep = resumeFrom ? Number(/checkpoint-(\d+)\.state$/.exec(resumeFrom)?.[1] ?? 0) : 0;
  if (job.status === "running") {
    // A restart: metrics past the checkpoint we resume from are computed again.
    await prisma.$executeRaw`DELETE FROM "FineTuningEvent" WHERE "jobId" = ${job.id} AND "type" = 'metrics' AND ("data"->>'step')::int > ${resumedStep}`;
    await addEvent(job.id, resumeFrom ? `Resuming after an interruption from the checkpoint at step ${resumedStep}` : "Restarting training after an interruption (no checkpoint yet)", { level: "warn" });
  }
  const startedAt = job.startedAt ?? new Date();
  await advance(run, { status: "running", startedAt, resolvedHyperparameters: hyper });
  if (job.status !== "running") await addEvent(job.id, "Fine-tuning job started");

  const org = await prisma.organization.findUnique({ where: { id: job.orgId }, select: { name: true } });
  const modelName = fineTunedModelName(base.id, org?.name ?? "org", job.suffix, job.id);

  // Metric events are buffered and written about once a second.
  let pending: Prisma.FineTuningEventCreateManyInput[] = [];
  let lastFlush = 0;
  let flushing: Promise<void> = Promise.resolve();
  const flushMetrics = (m: StepMetrics | null) => {
    const batch = pending;
    pending = [];
    lastFlush = Date.now();
    const progress = m ? { step: m.step, totalSteps: m.totalSteps, epoch: m.epoch, epochs: hyper.n_epochs, elapsedMs: m.elapsedMs } : undefined;
    // elapsedMs is the training time of all steps so far, across restarts.
    const remainingMs = m && m.step > 0 ? ((m.totalSteps - m.step) * m.elapsedMs) / m.step : null;
    flushing = flushing.then(async () => {
      if (batch.length) await prisma.fineTuningEvent.createMany({ data: batch });
      if (progress) await run.update({ progress, estimatedFinish: remainingMs !== null ? new Date(Date.now() + remainingMs) : undefined });
    });
    return flushing;
  };

  const result = await trainLocal({
    baseModelPath: base.upstreamId,
    train: train.examples,
    validation: validation?.examples ?? [],
    epochs: hyper.n_epochs,
    batchSize: hyper.batch_size,
    learningRate: LOCAL_BASE_LEARNING_RATE * hyper.learning_rate_multiplier,
    seed: job.seed,
    threads: trainingThreads(),
    outputDir: workDir,
    resumeFrom,
    signal,
    outputName: modelName,
    onStep: async (m) => {
      const valid = m.validLoss !== undefined ? `, validation loss=${m.validLoss.toFixed(4)}` : "";
      pending.push({
        id: newEventId(), jobId: job.id, type: "metrics",
        message: `Step ${m.step}/${m.totalSteps}: training loss=${m.trainLoss.toFixed(4)}${valid}`,
        data: {
          step: m.step, total_steps: m.totalSteps, epoch: m.epoch, train_loss: m.trainLoss, train_mean_token_accuracy: m.trainAccuracy,
          ...(m.validLoss !== undefined ? { valid_loss: m.validLoss, valid_mean_token_accuracy: m.validAccuracy ?? null } : {}),
          tokens: m.tokens, elapsed_ms: m.elapsedMs,
        },
      });
      if (Date.now() - lastFlush >= METRICS_FLUSH_MS) await flushMetrics(m);
    },
    onCheckpoint: async (c) => {
      await flushMetrics(c.metrics);
      const id = checkpointModelName(modelName, c.step);
      const metrics = {
        step: c.step, train_loss: c.metrics.trainLoss, train_mean_token_accuracy: c.metrics.trainAccuracy,
        ...(c.metrics.validLoss !== undefined ? { valid_loss: c.metrics.validLoss, valid_mean_token_accuracy: c.metrics.validAccuracy ?? null, full_valid_loss: c.metrics.validLoss, full_valid_mean_token_accuracy: c.metrics.validAccuracy ?? null } : {}),
      };
      // The resume point first: a job cancelled meanwhile gets no new checkpoint (this throws).
      const previous = (await prisma.fineTuningJob.findUnique({ where: { id: job.id }, select: { resumeState: true } }))?.resumeState;
      await advance(run, { resumeState: c.statePath, workDir });
      // Only the latest state is needed to resume (each holds the weights and optimizer moments).
      if (previous && previous !== c.statePath) await fs.promises.rm(previous, { force: true }).catch(() => undefined);
      await registerFineTunedModel({ id, base, projectId: job.projectId, orgId: job.orgId, jobId: job.id, served: { gguf: c.modelPath } });
      await prisma.fineTuningCheckpoint.upsert({
        where: { jobId_step: { jobId: job.id, step: c.step } },
        create: { id: newCheckpointId(), jobId: job.id, step: c.step, epoch: c.epoch, modelId: id, metrics },
        update: { modelId: id, metrics, epoch: c.epoch },
      });
      await addEvent(job.id, `Checkpoint created at step ${c.step} (epoch ${c.epoch}): ${id}`);
    },
  });
  await flushMetrics(result.metrics);
  signal.throwIfAborted();

  // Publish: the model, the metrics file, the cost; then the job's final state.
  await registerFineTunedModel({ id: modelName, base, projectId: job.projectId, orgId: job.orgId, jobId: job.id, served: { gguf: result.modelPath } });
  const resultFile = await writeMetricsFile(job);
  await chargeTraining(job, base, result.trainedTokens);
  await advance(run, {
    status: "succeeded", fineTunedModel: modelName, trainedTokens: result.trainedTokens, resultFiles: [resultFile], finishedAt: new Date(),
    estimatedFinish: null, lockedBy: null, lockedUntil: null, error: undefined,
  });
  await addEvent(job.id, `New fine-tuned model created: ${modelName}`);
  await addEvent(job.id, "The job has successfully completed");
  log.info("fine-tuning job succeeded", { jobId: job.id, model: modelName, trainedTokens: result.trainedTokens, steps: result.steps });
  // Resume states are of no use once the job is done; the checkpoints' GGUFs stay (they are models).
  await removeResumeStates(workDir);
}

export async function removeResumeStates(workDir: string) {
  const names = await fs.promises.readdir(workDir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith(".state")).map((n) => fs.promises.rm(path.join(workDir, n), { force: true }).catch(() => undefined)));
}

