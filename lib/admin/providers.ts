import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/access";
import { decryptSecret, encryptSecret, redactSecret } from "@/lib/crypto/secret-box";
import { isUniqueViolation } from "@/lib/db/errors";
import { notFound, ServiceError } from "@/lib/errors";
import { log } from "@/lib/log";
import { invalidateCatalog } from "@/lib/models/catalog";
import { requireInstanceAdmin } from "./access";
import { checkboxField, parseOrThrow, rowId } from "./validation";

// OpenAI-compatible upstream connections made in the console. The API key is stored encrypted
// with the instance's auth secret; only its redacted form ever leaves this module.

/** Connections as the console may see them: never the key, encrypted or not. */
export async function listProviderConnections(actor: Actor) {
  await requireInstanceAdmin(actor);
  const prisma = await db();
  const rows = await prisma.providerConnection.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, baseUrl: true, apiKeyRedacted: true, createdAt: true, updatedAt: true, _count: { select: { models: true } } },
  });
  return rows.map(({ _count, ...r }) => ({ ...r, models: _count.models }));
}

const nameField = z
  .string({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(80, "Use at most 80 characters");

/** http(s) URL of the API root, e.g. https://api.openai.com/v1; stored without a trailing slash. */
const baseUrlField = z
  .string({ error: "Enter the base URL" })
  .trim()
  .min(1, "Enter the base URL")
  .max(2000, "That URL is too long")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, "Enter an http(s) URL without credentials or query, e.g. https://api.openai.com/v1")
  .transform((v) => v.replace(/\/+$/, ""));

const apiKeyField = z
  .string()
  .max(4096, "That key is too long")
  .optional()
  .transform((v) => v?.trim() || null)
  .refine((v) => v === null || !/\s/.test(v), "API keys have no spaces");

export const createConnectionSchema = z.object({ name: nameField, baseUrl: baseUrlField, apiKey: apiKeyField });

export const updateConnectionSchema = z.object({
  connectionId: rowId,
  name: nameField,
  baseUrl: baseUrlField,
  /** Blank keeps the stored key. */
  apiKey: apiKeyField,
  removeApiKey: checkboxField,
});

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) throw new ServiceError("conflict", "A connection with this name already exists.", { name: "A connection with this name already exists" });
  throw err;
}

export async function createProviderConnection(actor: Actor, input: z.input<typeof createConnectionSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(createConnectionSchema, input);
  const prisma = await db();
  const created = await prisma.providerConnection
    .create({
      data: {
        name: d.name, kind: "openai", baseUrl: d.baseUrl,
        apiKeyEncrypted: d.apiKey ? encryptSecret(d.apiKey) : null,
        apiKeyRedacted: d.apiKey ? redactSecret(d.apiKey) : null,
      },
      select: { id: true, name: true },
    })
    .catch(nameTaken);
  log.info("provider connection created", { actorId: actor.userId, connectionId: created.id });
  return created;
}

export async function updateProviderConnection(actor: Actor, input: z.input<typeof updateConnectionSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(updateConnectionSchema, input);
  const prisma = await db();
  const existing = await prisma.providerConnection.findUnique({ where: { id: d.connectionId }, select: { id: true } });
  if (!existing) throw notFound("Connection");
  const key = d.apiKey
    ? { apiKeyEncrypted: encryptSecret(d.apiKey), apiKeyRedacted: redactSecret(d.apiKey) }
    : d.removeApiKey
      ? { apiKeyEncrypted: null, apiKeyRedacted: null }
      : {};
  await prisma.providerConnection
    .update({ where: { id: d.connectionId }, data: { name: d.name, baseUrl: d.baseUrl, ...key } })
    .catch(nameTaken);
  // The catalog holds each model's upstream URL and decrypted key.
  invalidateCatalog();
  log.info("provider connection updated", { actorId: actor.userId, connectionId: d.connectionId, keyChanged: "apiKeyEncrypted" in key });
}

export const deleteConnectionSchema = z.object({ connectionId: rowId });

/** Deletes a connection and every model served through it. */
export async function deleteProviderConnection(actor: Actor, input: z.input<typeof deleteConnectionSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(deleteConnectionSchema, input);
  const prisma = await db();
  const deleted = await prisma.$transaction(async (tx) => {
    const c = await tx.providerConnection.findUnique({ where: { id: d.connectionId }, select: { id: true, name: true, _count: { select: { models: true } } } });
    if (!c) throw notFound("Connection");
    await tx.providerConnection.delete({ where: { id: c.id } }); // models cascade
    return { name: c.name, models: c._count.models };
  });
  invalidateCatalog();
  log.info("provider connection deleted", { actorId: actor.userId, connectionId: d.connectionId, models: deleted.models });
  return deleted;
}

export const TEST_TIMEOUT_MS = 5_000;

export type ConnectionTestResult =
  | { ok: true; status: number; models: string[]; latencyMs: number }
  | { ok: false; status: number | null; error: string; latencyMs: number };

function describeFetchError(err: unknown, url: URL): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `No answer from ${url.host} within ${TEST_TIMEOUT_MS / 1000} seconds.`;
  const code = e.cause?.code;
  // fetch refuses a fixed list of ports (SMTP, SSH, …) before connecting.
  if (/bad port/i.test(e.cause?.message ?? e.message ?? "")) return `Port ${url.port} is one that HTTP clients refuse to call (e.g. SMTP or SSH ports); check the base URL.`;
  if (code === "ECONNREFUSED") return `Connection refused by ${url.host}: nothing is listening there.`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `The host ${url.hostname} could not be found.`;
  if (code === "ECONNRESET") return `${url.host} closed the connection.`;
  if (code && /CERT|SSL|TLS/i.test(code)) return `TLS error talking to ${url.host} (${code}).`;
  return `Could not connect to ${url.host}: ${e.cause?.message ?? e.message ?? "unknown error"}.`;
}

/** The upstream's own error message, when it sent OpenAI's error shape. */
function upstreamMessage(body: unknown): string | null {
  const m = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof m === "string" && m ? m.slice(0, 300) : null;
}

/**
 * Calls `{baseUrl}/models` with the stored key (5 s timeout) and reports what came back: the
 * model ids, or an error a person can act on. Never throws for upstream failures.
 */
export async function testProviderConnection(actor: Actor, input: { connectionId: string }): Promise<ConnectionTestResult> {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(deleteConnectionSchema, input);
  const prisma = await db();
  const c = await prisma.providerConnection.findUnique({ where: { id: d.connectionId }, select: { baseUrl: true, apiKeyEncrypted: true } });
  if (!c) throw notFound("Connection");
  const url = new URL(`${c.baseUrl}/models`);
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let apiKey: string | null = null;
  if (c.apiKeyEncrypted) {
    try {
      apiKey = decryptSecret(c.apiKeyEncrypted);
    } catch (err) {
      return { ok: false, status: null, error: `${(err as Error).message}. Enter the key again.`, latencyMs: 0 };
    }
  }
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
      cache: "no-store",
    });
  } catch (err) {
    return { ok: false, status: null, error: describeFetchError(err, url), latencyMs: elapsed() };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, status: res.status, error: describeFetchError(err, url), latencyMs: elapsed() };
    body = null;
  }
  if (!res.ok) {
    const detail = upstreamMessage(body);
    const hint = res.status === 401 || res.status === 403 ? "The upstream refused the API key" : res.status === 404 ? "No /models endpoint at this base URL" : `The upstream answered HTTP ${res.status}`;
    return { ok: false, status: res.status, error: `${hint} (HTTP ${res.status})${detail ? `: ${detail}` : "."}`, latencyMs: elapsed() };
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    return { ok: false, status: res.status, error: "The upstream answered, but not with an OpenAI-compatible model list. Check the base URL (it usually ends in /v1).", latencyMs: elapsed() };
  }
  const models = data.map((m) => (m as { id?: unknown })?.id).filter((id): id is string => typeof id === "string");
  return { ok: true, status: res.status, models, latencyMs: elapsed() };
}

/** Inputs of the connection services, by operation (what their forms submit). */
export type ConnectionInput<K extends "create" | "update" | "delete"> = {
  create: z.input<typeof createConnectionSchema>;
  update: z.input<typeof updateConnectionSchema>;
  delete: z.input<typeof deleteConnectionSchema>;
}[K];
