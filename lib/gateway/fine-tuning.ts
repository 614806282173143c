import "server-only";
import { cancelJob, checkpointObject, createJob, eventObject, jobObject, listCheckpoints, listEvents, listJobs, requireJob } from "@/lib/finetune/jobs";
import { parseCreateJob } from "@/lib/finetune/params";
import { pokeFineTuningWorker } from "@/lib/finetune/worker";
import { invalidRequest } from "@/lib/openai/errors";
import { readJsonBody } from "./admission";
import { Answer } from "./answer";
import type { GatewayContext } from "./with-api-key";

// /v1/fine_tuning/jobs: create, list, retrieve, cancel, events, checkpoints. OpenAI's objects,
// cursors and errors; the work itself happens in the fine-tuning worker.

function readLimit(q: URLSearchParams, fallback: number, max = 100): number {
  const raw = q.get("limit");
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw invalidRequest(`Invalid 'limit': expected an integer from 1 to ${max}, got '${raw.slice(0, 50)}'.`, "limit", "invalid_value");
  return limit;
}

const badCursor = (after: string) => invalidRequest(`Invalid 'after': ${after.slice(0, 100)} is not in this list.`, "after", "invalid_value");

function creator(ctx: GatewayContext) {
  return { orgId: ctx.key.orgId, projectId: ctx.key.projectId, apiKeyId: ctx.key.keyId, userId: ctx.key.ownerUserId };
}

export async function createJobRoute(ctx: GatewayContext): Promise<Answer> {
  const params = parseCreateJob(await readJsonBody(ctx));
  ctx.meter.model = params.model;
  const job = await createJob(creator(ctx), params);
  pokeFineTuningWorker();
  return Answer.json(jobObject(job));
}

export async function listJobsRoute(ctx: GatewayContext): Promise<Answer> {
  const q = new URL(ctx.request.url).searchParams;
  const limit = readLimit(q, 20);
  // metadata[key]=value filters, as OpenAI's list does.
  const metadata: Record<string, string> = {};
  for (const [k, v] of q) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) metadata[m[1]] = v;
  }
  const after = q.get("after");
  const page = await listJobs(ctx.key.projectId, { limit, after, metadata });
  if (!page) throw badCursor(after!);
  return Answer.json({ object: "list", data: page.rows.map(jobObject), has_more: page.hasMore });
}

export async function retrieveJobRoute(ctx: GatewayContext, id: string): Promise<Answer> {
  return Answer.json(jobObject(await requireJob(ctx.key.projectId, id)));
}

export async function cancelJobRoute(ctx: GatewayContext, id: string): Promise<Answer> {
  const job = await cancelJob(ctx.key.projectId, id, { userId: ctx.key.ownerUserId, apiKeyId: ctx.key.keyId });
  return Answer.json(jobObject(job));
}

export async function listEventsRoute(ctx: GatewayContext, id: string): Promise<Answer> {
  const job = await requireJob(ctx.key.projectId, id);
  const q = new URL(ctx.request.url).searchParams;
  const after = q.get("after");
  const page = await listEvents(job.id, { limit: readLimit(q, 20), after });
  if (!page) throw badCursor(after!);
  return Answer.json({ object: "list", data: page.rows.map(eventObject), has_more: page.hasMore });
}

export async function listCheckpointsRoute(ctx: GatewayContext, id: string): Promise<Answer> {
  const job = await requireJob(ctx.key.projectId, id);
  const q = new URL(ctx.request.url).searchParams;
  const after = q.get("after");
  const page = await listCheckpoints(job.id, { limit: readLimit(q, 10), after });
  if (!page) throw badCursor(after!);
  const data = page.rows.map(checkpointObject);
  return Answer.json({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: page.hasMore });
}
