import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { Readable } from "node:stream";
import { db } from "@/lib/db";
import { getFile, openFileContent, storeFile } from "@/lib/files/files";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { getCatalogModel, type CatalogModel } from "@/lib/models/catalog";
import { parseDataset } from "./dataset";
import { addEvent, checkpointModelName, fineTunedModelName, newCheckpointId } from "./jobs";
import { registerFineTunedModel } from "./models";
import { fileError, JobFailure } from "./prepare";
import { advance, chargeTraining, resultOwner, StopTraining, type JobRun } from "./run";
import * as upstream from "./upstream";

// The upstream trainer: for a base model served by an OpenAI-compatible upstream that offers
// fine-tuning, the job runs there. Gatehouse checks the files' lines, uploads them, creates the
// upstream job (tagged with this job's id in its metadata, so a restart finds it instead of
// starting a second one), then mirrors the upstream job's status, events, checkpoints (each a
// model here, served by the upstream) and result files until it finishes. Cancelling here
// cancels there.

const POLL_MS = 2_000;
const ACTIVE = new Set(["validating_files", "queued", "running"]);

async function fileBytes(projectId: string, fileId: string, which: "training" | "validation") {
  const file = await getFile(projectId, fileId);
  if (!file) throw new JobFailure({ code: `invalid_${which}_file`, param: `${which}_file`, message: `The ${which} file ${fileId} does not exist (it may have been deleted).` });
  const parsed = await parseDataset(openFileContent(file));
  const error = fileError({ lines: parsed.lines, examples: parsed.examples.length, problems: parsed.problems, problemCount: parsed.problemCount }, `${which}_file`);
  if (error) throw new JobFailure(error);
  const chunks: Buffer[] = [];
  for await (const chunk of openFileContent(file)) chunks.push(chunk as Buffer);
  return { filename: file.filename, bytes: Buffer.concat(chunks), examples: parsed.examples.length };
}

async function start(run: JobRun, base: CatalogModel, up: upstream.Upstream): Promise<string> {
  const { job, signal } = run;
  const existing = await upstream.findJobFor(up, job.id, signal).catch(() => null);
  if (existing) return existing.id;
  const training = await fileBytes(job.projectId, job.trainingFile, "training");
  const validation = job.validationFile ? await fileBytes(job.projectId, job.validationFile, "validation") : null;
  const trainingFile = await upstream.uploadFile(up, training, signal);
  const validationFile = validation ? await upstream.uploadFile(up, validation, signal) : null;
  const created = await upstream.createJob(up, {
    model: base.upstreamId,
    training_file: trainingFile,
    ...(validationFile ? { validation_file: validationFile } : {}),
    ...(job.suffix ? { suffix: job.suffix } : {}),
    seed: job.seed,
    method: { type: "supervised", supervised: { hyperparameters: job.hyperparameters } },
    metadata: { gatehouse_job: job.id },
  }, signal);
  return created.id;
}

export async function runUpstreamJob(run: JobRun) {
  const { job, signal } = run;
  const prisma = await db();
  const base = await getCatalogModel(job.model);
  if (!base?.upstream) throw new JobFailure({ code: "model_not_available", param: "model", message: `The base model ${job.model} is no longer served by an upstream.` });
  const up = base.upstream;

  let upstreamJobId = job.upstreamJobId;
  if (!upstreamJobId) {
    try {
      upstreamJobId = await start(run, base, up);
    } catch (err) {
      if (err instanceof upstream.UpstreamCallError) throw new JobFailure({ code: "upstream_error", param: null, message: `The upstream could not start the job. ${err.message}` });
      throw err;
    }
    await advance(run, { upstreamJobId });
    await addEvent(job.id, `Created the job at the upstream: ${upstreamJobId}`);
  }

  const org = await prisma.organization.findUnique({ where: { id: job.orgId }, select: { name: true } });
  const modelName = fineTunedModelName(base.id, org?.name ?? "org", job.suffix, job.id);
  const known = new Set((await prisma.fineTuningEvent.findMany({ where: { jobId: job.id }, select: { id: true } })).map((e) => e.id));
  const knownCheckpoints = new Set((await prisma.fineTuningCheckpoint.findMany({ where: { jobId: job.id }, select: { step: true } })).map((c) => c.step));
  let status = job.status;

  try {
    for (;;) {
      const remote = await upstream.getJob(up, upstreamJobId, signal);

      // Events, oldest first, under the upstream's ids (so each is mirrored once).
      const fresh = await upstream.newEvents(up, upstreamJobId, (id) => known.has(id), signal);
      if (fresh.length) {
        const rows: Prisma.FineTuningEventCreateManyInput[] = fresh.map((e) => ({
          id: e.id, jobId: job.id, level: ["info", "warn", "error"].includes(e.level) ? e.level : "info", type: e.type === "metrics" ? "metrics" : "message",
          message: String(e.message ?? ""), data: (e.data ?? undefined) as Prisma.InputJsonValue | undefined, createdAt: new Date(e.created_at * 1000),
        }));
        for (const row of rows) await prisma.fineTuningEvent.createMany({ data: [row], skipDuplicates: true }); // one by one keeps their order
        for (const e of fresh) known.add(e.id);
        const last = [...fresh].reverse().find((e) => e.type === "metrics")?.data as { step?: number; total_steps?: number; epoch?: number } | undefined;
        if (last?.step) await run.update({ progress: { step: last.step, totalSteps: last.total_steps ?? null, epoch: last.epoch ?? null } });
      }

      // Checkpoints: each a model served by the upstream.
      for (const c of await upstream.listCheckpoints(up, upstreamJobId, signal)) {
        if (knownCheckpoints.has(c.step_number)) continue;
        const id = checkpointModelName(modelName, c.step_number);
        await registerFineTunedModel({ id, base, projectId: job.projectId, orgId: job.orgId, jobId: job.id, served: { upstreamId: c.fine_tuned_model_checkpoint } });
        await prisma.fineTuningCheckpoint.upsert({
          where: { jobId_step: { jobId: job.id, step: c.step_number } },
          create: { id: newCheckpointId(), jobId: job.id, step: c.step_number, epoch: 0, modelId: id, metrics: c.metrics },
          update: { modelId: id, metrics: c.metrics },
        });
        knownCheckpoints.add(c.step_number);
      }

      if (ACTIVE.has(remote.status)) {
        if (remote.status !== status) {
          await advance(run, { status: remote.status, ...(remote.status === "running" ? { startedAt: job.startedAt ?? new Date() } : {}) });
          status = remote.status;
        }
        if (remote.estimated_finish) await run.update({ estimatedFinish: new Date(remote.estimated_finish * 1000) });
        await sleep(POLL_MS, undefined, { signal });
        continue;
      }

      if (remote.status === "succeeded" && remote.fine_tuned_model) {
        await registerFineTunedModel({ id: modelName, base, projectId: job.projectId, orgId: job.orgId, jobId: job.id, served: { upstreamId: remote.fine_tuned_model } });
        const resultFiles: string[] = [];
        for (const id of remote.result_files ?? []) {
          const f = await upstream.downloadFile(up, id, signal);
          const stored = await storeFile(resultOwner(job), { purpose: "fine-tune-results", filename: f.filename, source: Readable.from([f.bytes]), maxBytes: Number.MAX_SAFE_INTEGER });
          resultFiles.push(stored.id);
        }
        const trainedTokens = remote.trained_tokens ?? 0;
        await chargeTraining(job, base, trainedTokens);
        await advance(run, { status: "succeeded", fineTunedModel: modelName, trainedTokens, resultFiles, finishedAt: new Date(), estimatedFinish: null, lockedBy: null, lockedUntil: null });
        await addEvent(job.id, `New fine-tuned model created: ${modelName} (the upstream's ${remote.fine_tuned_model})`);
        return;
      }
      if (remote.status === "cancelled") {
        await advance(run, { status: "cancelled", finishedAt: new Date(), estimatedFinish: null, lockedBy: null, lockedUntil: null });
        await addEvent(job.id, "The job was cancelled at the upstream");
        return;
      }
      const e = remote.error ?? {};
      throw new JobFailure({ code: e.code ?? "upstream_failed", param: e.param ?? null, message: e.message ? `The upstream job failed: ${e.message}` : `The upstream job ended as ${remote.status}.` });
    }
  } catch (err) {
    // Cancelled here: cancel there too (best effort; the job here is cancelled either way).
    const stop = signal.reason instanceof StopTraining ? signal.reason : err instanceof StopTraining ? err : null;
    if (stop?.why === "cancelled") {
      await upstream.cancelJob(up, upstreamJobId).catch((e) => log.warn("upstream fine-tuning job not cancelled", { jobId: job.id, error: (e as Error).message }));
    }
    if (err instanceof upstream.UpstreamCallError) throw new JobFailure({ code: "upstream_error", param: null, message: `Lost track of the upstream job ${upstreamJobId}. ${err.message}` });
    throw err;
  }
}
