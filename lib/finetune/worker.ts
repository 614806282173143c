import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import type { FineTuningJob, Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { addEvent, type JobError } from "./jobs";
import { JobFailure } from "./prepare";
import { StopTraining, type JobRun } from "./run";
import { jobWorkDir } from "./models";
import { removeResumeStates, runLocalJob } from "./run-local";
import { runUpstreamJob } from "./run-upstream";

// The fine-tuning worker, one per process: takes jobs from the database queue, validates their
// files, trains, and publishes the model. Jobs survive restarts: a worker holds a lease on the
// job it trains and renews it every second; a job whose lease ran out (its process died) is
// taken again and resumes from its last checkpoint (or starts over when it had none), up to
// MAX_ATTEMPTS times. Cancelling sets the job's status; the worker sees it on its next renewal
// and stops training. At shutdown the worker stops and gives the lease back, so the next start
// resumes at once.

const POLL_MS = 2_000;
const LEASE_SECONDS = 15;
const RENEW_MS = 1_000;
const MAX_ATTEMPTS = 3;

type Running = { jobId: string; abort: AbortController; done: Promise<void> };
type WorkerState = { id: string; timer: NodeJS.Timeout | null; ticking: Promise<void> | null; running: Map<string, Running>; stopping: boolean };
const g = globalThis as unknown as { __gatehouseFineTuning?: WorkerState };
const state = () => (g.__gatehouseFineTuning ??= { id: `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`, timer: null, ticking: null, running: new Map(), stopping: false });


// ---- the queue ----

/** Takes the oldest job no live worker holds; returns its id. */
async function claim(workerId: string): Promise<string | null> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "FineTuningJob" SET "lockedBy" = ${workerId}, "lockedUntil" = now() + make_interval(secs => ${LEASE_SECONDS}),
      "attempts" = "attempts" + CASE WHEN "status" = 'running' THEN 1 ELSE 0 END
    WHERE "id" = (
      SELECT "id" FROM "FineTuningJob"
      WHERE "status" IN ('validating_files', 'queued', 'running') AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  return rows[0]?.id ?? null;
}

/** Renews the lease; tells whether to go on (and if not, why). */
async function renew(jobId: string, workerId: string): Promise<"ok" | StopTraining["why"]> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ status: string }[]>`
    UPDATE "FineTuningJob" SET "lockedUntil" = now() + make_interval(secs => ${LEASE_SECONDS})
    WHERE "id" = ${jobId} AND "lockedBy" = ${workerId} RETURNING "status"`;
  if (!rows.length) return "lease_lost";
  return rows[0].status === "cancelled" ? "cancelled" : "ok";
}

async function release(jobId: string, workerId: string) {
  const prisma = await db();
  await prisma.fineTuningJob.updateMany({ where: { id: jobId, lockedBy: workerId }, data: { lockedBy: null, lockedUntil: null } });
}

/** Moves a job on, unless it was cancelled (or taken over) meanwhile. */
async function update(jobId: string, workerId: string, data: Prisma.FineTuningJobUpdateManyMutationInput): Promise<boolean> {
  const prisma = await db();
  const r = await prisma.fineTuningJob.updateMany({ where: { id: jobId, lockedBy: workerId, status: { in: ["validating_files", "queued", "running"] } }, data });
  return r.count > 0;
}

async function fail(job: FineTuningJob, workerId: string, error: JobError) {
  const ok = await update(job.id, workerId, { status: "failed", error, finishedAt: new Date(), estimatedFinish: null, lockedBy: null, lockedUntil: null });
  if (ok) await addEvent(job.id, error.message, { level: "error" });
}

// ---- the loop ----

export function startFineTuningWorker() {
  const s = state();
  if (s.timer || getConfig().FINE_TUNING_CONCURRENCY === 0) return;
  s.stopping = false;
  s.timer = setInterval(() => pokeFineTuningWorker(), POLL_MS);
  s.timer.unref();
  setTimeout(() => pokeFineTuningWorker(), 500).unref();
}

/** Looks for work now (after a job is created) instead of at the next poll. */
export function pokeFineTuningWorker() {
  const s = state();
  if (!s.timer || s.stopping || s.ticking) return;
  s.ticking = fillSlots(s)
    .catch((err) => log.error("fine-tuning queue check failed", { error: (err as Error).message }))
    .finally(() => {
      s.ticking = null;
    });
}

async function fillSlots(s: WorkerState) {
  while (!s.stopping && s.running.size < getConfig().FINE_TUNING_CONCURRENCY) {
    const jobId = await claim(s.id);
    if (!jobId) return;
    const abort = new AbortController();
    const run: Running = { jobId, abort, done: Promise.resolve() };
    run.done = runClaimed(jobId, s.id, abort).finally(() => {
      s.running.delete(jobId);
      if (!s.stopping) setTimeout(() => pokeFineTuningWorker(), 0);
    });
    s.running.set(jobId, run);
  }
}

/** Stops training (graceful shutdown): jobs keep their status and resume at the next start. */
export async function stopFineTuningWorker() {
  const s = g.__gatehouseFineTuning;
  if (!s) return;
  s.stopping = true;
  if (s.timer) clearInterval(s.timer);
  s.timer = null;
  await s.ticking;
  for (const r of s.running.values()) r.abort.abort(new StopTraining("shutdown"));
  await Promise.all([...s.running.values()].map((r) => r.done));
}

// ---- one job ----

async function runClaimed(jobId: string, workerId: string, abort: AbortController) {
  const prisma = await db();
  const job = await prisma.fineTuningJob.findUnique({ where: { id: jobId } });
  if (!job) return;
  // Watch the row: cancellation and a lost lease stop the training within about a second.
  const renewal = setInterval(() => {
    void renew(jobId, workerId)
      .then((r) => {
        if (r !== "ok" && !abort.signal.aborted) abort.abort(new StopTraining(r));
      })
      .catch((err) => log.warn("fine-tuning lease renewal failed", { jobId, error: (err as Error).message }));
  }, RENEW_MS);
  try {
    // A local job that keeps dying with its server is stopped; an upstream job trains elsewhere, so a restart costs it nothing.
    if (job.trainer === "local" && job.attempts > MAX_ATTEMPTS) {
      await fail(job, workerId, { code: "interrupted", param: null, message: `The job was interrupted ${MAX_ATTEMPTS} times (its server stopped while it trained), so it was stopped. Create a new job to try again.` });
      return;
    }
    const run: JobRun = { job, signal: abort.signal, update: (data) => update(job.id, workerId, data) };
    await (job.trainer === "upstream" ? runUpstreamJob(run) : runLocalJob(run));
  } catch (err) {
    const stop = abort.signal.reason instanceof StopTraining ? abort.signal.reason : err instanceof StopTraining ? err : null;
    if (stop) {
      if (stop.why === "cancelled") await removeResumeStates(jobWorkDir(job.id));
      if (stop.why === "shutdown") {
        const message = job.trainer === "local"
          ? "Training paused: the server is shutting down. The job resumes from its last checkpoint when Gatehouse starts again."
          : "The server is shutting down; the job goes on at the upstream and is followed again when Gatehouse starts.";
        await addEvent(job.id, message, { level: "warn" }).catch(() => undefined);
        await release(job.id, workerId).catch(() => undefined);
      }
      log.info("fine-tuning stopped", { jobId, why: stop.why });
      return;
    }
    const error = err instanceof JobFailure ? err.error : { code: "training_failed", param: null, message: `Training failed: ${(err as Error).message ?? String(err)}` };
    if (!(err instanceof JobFailure)) log.error("fine-tuning job failed", { jobId, error: (err as Error)?.stack ?? String(err) });
    await fail(job, workerId, error).catch((e) => log.error("could not record a failed fine-tuning job", { jobId, error: (e as Error).message }));
    await removeResumeStates(jobWorkDir(job.id));
  } finally {
    clearInterval(renewal);
  }
}

