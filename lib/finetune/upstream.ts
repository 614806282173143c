import "server-only";
import { setTimeout as sleep } from "node:timers/promises";

// The fine-tuning API of an OpenAI-compatible upstream (OpenAI, another Gatehouse): what the
// upstream trainer needs to create a job there and mirror it. Control-plane calls only, so
// plain fetch with a deadline and a few retries on 429/5xx and connection errors.

export type Upstream = { baseUrl: string; apiKey: string | null };

const TIMEOUT_MS = 60_000;
const RETRIES = 3;

export class UpstreamCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

async function call<T = Json>(up: Upstream, method: "GET" | "POST" | "DELETE", path: string, body?: Json | FormData, signal?: AbortSignal): Promise<T> {
  const url = up.baseUrl.replace(/\/+$/, "") + path;
  const headers: Record<string, string> = {};
  if (up.apiKey) headers.authorization = `Bearer ${up.apiKey}`;
  if (body && !(body instanceof FormData)) headers["content-type"] = "application/json";
  for (let attempt = 0; ; attempt++) {
    const deadline = AbortSignal.timeout(TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(url, {
        method, headers, body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
    } catch (err) {
      signal?.throwIfAborted();
      if (attempt < RETRIES) {
        await sleep(500 * 2 ** attempt * (0.5 + Math.random()), undefined, { signal });
        continue;
      }
      throw new UpstreamCallError(`The upstream could not be reached (${(err as Error).message}).`, null);
    }
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : {}) as T;
    if ((res.status === 429 || res.status >= 500) && attempt < RETRIES) {
      const retryAfter = Number(res.headers.get("retry-after"));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 30) * 1000 : 500 * 2 ** attempt * (0.5 + Math.random()), undefined, { signal });
      continue;
    }
    let message = `HTTP ${res.status}`;
    try {
      const e = (JSON.parse(text) as { error?: { message?: string } }).error;
      if (e?.message) message = e.message;
    } catch {
      // not JSON: keep the status
    }
    throw new UpstreamCallError(`The upstream refused: ${message}`, res.status);
  }
}

export type UpstreamJob = {
  id: string;
  status: string;
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  result_files: string[];
  error: { code?: string | null; message?: string | null; param?: string | null } | null;
  estimated_finish?: number | null;
};
export type UpstreamEvent = { id: string; created_at: number; level: string; message: string; data?: unknown; type?: string };
export type UpstreamCheckpoint = { id: string; step_number: number; fine_tuned_model_checkpoint: string; metrics: Record<string, number> };

export async function uploadFile(up: Upstream, file: { filename: string; bytes: Buffer }, signal?: AbortSignal): Promise<string> {
  const form = new FormData();
  form.append("purpose", "fine-tune");
  form.append("file", new Blob([new Uint8Array(file.bytes)]), file.filename);
  return (await call<{ id: string }>(up, "POST", "/files", form, signal)).id;
}

export const createJob = (up: Upstream, body: Json, signal?: AbortSignal) => call<UpstreamJob>(up, "POST", "/fine_tuning/jobs", body, signal);
export const getJob = (up: Upstream, id: string, signal?: AbortSignal) => call<UpstreamJob>(up, "GET", `/fine_tuning/jobs/${encodeURIComponent(id)}`, undefined, signal);
export const cancelJob = (up: Upstream, id: string, signal?: AbortSignal) => call<UpstreamJob>(up, "POST", `/fine_tuning/jobs/${encodeURIComponent(id)}/cancel`, undefined, signal);
export const deleteModel = (up: Upstream, id: string, signal?: AbortSignal) => call(up, "DELETE", `/models/${encodeURIComponent(id)}`, undefined, signal);

/** The upstream job this Gatehouse job already created, if any (found by its metadata after a restart). */
export async function findJobFor(up: Upstream, gatehouseJobId: string, signal?: AbortSignal): Promise<UpstreamJob | null> {
  const page = await call<{ data: (UpstreamJob & { metadata?: Record<string, string> | null })[] }>(
    up, "GET", `/fine_tuning/jobs?limit=100&metadata[gatehouse_job]=${encodeURIComponent(gatehouseJobId)}`, undefined, signal,
  );
  return page.data.find((j) => j.metadata?.gatehouse_job === gatehouseJobId) ?? null;
}

/** Events newer than the known ones, oldest first (pages back until a known event). */
export async function newEvents(up: Upstream, id: string, known: (eventId: string) => boolean, signal?: AbortSignal): Promise<UpstreamEvent[]> {
  const fresh: UpstreamEvent[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const q: string = `limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`;
    const res: { data: UpstreamEvent[]; has_more: boolean } = await call(up, "GET", `/fine_tuning/jobs/${encodeURIComponent(id)}/events?${q}`, undefined, signal);
    for (const e of res.data) {
      if (known(e.id)) return fresh.reverse();
      fresh.push(e);
    }
    if (!res.has_more || !res.data.length) break;
    after = res.data.at(-1)!.id;
  }
  return fresh.reverse();
}

export async function listCheckpoints(up: Upstream, id: string, signal?: AbortSignal): Promise<UpstreamCheckpoint[]> {
  return (await call<{ data: UpstreamCheckpoint[] }>(up, "GET", `/fine_tuning/jobs/${encodeURIComponent(id)}/checkpoints?limit=100`, undefined, signal)).data;
}

export async function downloadFile(up: Upstream, id: string, signal?: AbortSignal): Promise<{ filename: string; bytes: Buffer }> {
  const meta = await call<{ filename: string }>(up, "GET", `/files/${encodeURIComponent(id)}`, undefined, signal);
  const headers: Record<string, string> = up.apiKey ? { authorization: `Bearer ${up.apiKey}` } : {};
  const res = await fetch(up.baseUrl.replace(/\/+$/, "") + `/files/${encodeURIComponent(id)}/content`, { headers, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new UpstreamCallError(`The upstream refused the download of ${id}: HTTP ${res.status}`, res.status);
  return { filename: meta.filename, bytes: Buffer.from(await res.arrayBuffer()) };
}
