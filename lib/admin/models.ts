import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { readGgufFileInfo } from "node-llama-cpp";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Actor } from "@/lib/auth/access";
import { getConfig } from "@/lib/config";
import { invalid, notFound, ServiceError } from "@/lib/errors";
import { log } from "@/lib/log";
import { invalidateCatalog } from "@/lib/models/catalog";
import { guessUpstreamModel, LOCAL_MODEL_PRICE } from "@/lib/models/defaults";
import { contextWindowFor } from "@/lib/providers/local/runtime";
import { requireInstanceAdmin } from "./access";
import {
  capabilitiesField,
  checkboxField,
  contextWindowField,
  modelIdField,
  parseOrThrow,
  priceField,
  rowId,
  type Capability,
} from "./validation";

// The model catalog as instance administrators manage it. Every change invalidates the
// catalog cache, so the API serves the new prices, windows and availability at once.

/** Every model, enabled or not, with the name of its upstream connection. */
export async function listAdminModels(actor: Actor) {
  await requireInstanceAdmin(actor);
  const prisma = await db();
  const rows = await prisma.model.findMany({
    // Fine-tuned models belong to their projects, not to the catalog.
    where: { projectId: null },
    orderBy: { id: "asc" },
    select: {
      id: true, provider: true, upstreamId: true, connectionId: true, contextWindow: true, capabilities: true,
      inputPriceMicros: true, cachedInputPriceMicros: true, outputPriceMicros: true, trainingPriceMicros: true, source: true, enabled: true,
      connection: { select: { name: true } },
    },
  });
  return rows.map(({ connection, ...r }) => ({ ...r, connectionName: connection?.name ?? null }));
}

/** Models the API can serve right now (for allow-lists and tier rows). */
export async function listEnabledModelIds(): Promise<string[]> {
  const prisma = await db();
  const rows = await prisma.model.findMany({ where: { enabled: true, projectId: null }, orderBy: { id: "asc" }, select: { id: true } });
  return rows.map((r) => r.id);
}

export const updateModelSchema = z
  .object({
    modelId: rowId,
    contextWindow: contextWindowField,
    capabilities: capabilitiesField,
    enabled: checkboxField,
    inputPrice: priceField,
    cachedInputPrice: priceField,
    outputPrice: priceField,
    trainingPrice: priceField,
  })
  .superRefine((d, ctx) => {
    if (d.inputPrice === null && d.cachedInputPrice !== null) {
      ctx.addIssue({ code: "custom", path: ["cachedInputPrice"], message: "Set the input price first" });
    }
  });

export async function updateModel(actor: Actor, input: z.input<typeof updateModelSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(updateModelSchema, input);
  const prisma = await db();
  const existing = await prisma.model.findUnique({ where: { id: d.modelId }, select: { id: true } });
  if (!existing) throw notFound("Model");
  const model = await prisma.model.update({
    where: { id: d.modelId },
    data: {
      contextWindow: d.contextWindow,
      capabilities: d.capabilities,
      enabled: d.enabled,
      inputPriceMicros: d.inputPrice,
      cachedInputPriceMicros: d.cachedInputPrice,
      outputPriceMicros: d.outputPrice,
      trainingPriceMicros: d.trainingPrice,
    },
  });
  invalidateCatalog();
  log.info("model updated", { actorId: actor.userId, model: d.modelId, enabled: d.enabled });
  return model;
}

// ---- local GGUF files ----

// Grammars give every GGUF tool calls and JSON schemas; vision needs a projector we do not load.
const LOCAL_CAPABILITIES: Capability[] = ["chat", "embeddings", "tools", "json_schema"];
const SPLIT_PART = /-(\d{5})-of-(\d{5})$/;

/**
 * Checks that `file` is a GGUF language model the server can read, from its metadata only
 * (no weights are loaded), and returns its default id and context window.
 */
export async function inspectGgufFile(file: string): Promise<{ path: string; defaultId: string; contextWindow: number }> {
  const fail = (message: string) => invalid(message, { path: message });
  if (!path.isAbsolute(file)) throw fail("Enter an absolute path, e.g. /models/qwen2.5-0.5b-instruct-q4_k_m.gguf");
  const resolved = path.resolve(file);
  if (!resolved.toLowerCase().endsWith(".gguf")) throw fail("Choose a .gguf file");
  let stat;
  try {
    stat = await fs.stat(resolved);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === "EACCES" ? "The server may not read that path" : "No file exists at that path on the server");
  }
  if (!stat.isFile()) throw fail("That path is not a file");
  try {
    await fs.access(resolved, fs.constants.R_OK);
  } catch {
    throw fail("The server may not read that file (permission denied)");
  }
  let base = path.basename(resolved).slice(0, -".gguf".length);
  const split = SPLIT_PART.exec(base);
  if (split) {
    if (Number(split[1]) !== 1) throw fail("Choose the first part of a split model (…-00001-of-…)");
    base = base.slice(0, split.index);
  }
  let info;
  try {
    info = await readGgufFileInfo(resolved, { readTensorInfo: false });
  } catch {
    throw fail("That file is not a readable GGUF model");
  }
  if (info.metadata?.general?.architecture === "clip") throw fail("That file is a vision projector, not a language model");
  const trainContext = (info.architectureMetadata as { context_length?: unknown } | undefined)?.context_length;
  return { path: resolved, defaultId: base, contextWindow: contextWindowFor(typeof trainContext === "number" ? trainContext : undefined) };
}

export const registerLocalModelSchema = z.object({
  path: z.string({ error: "Enter the path of a .gguf file" }).trim().min(1, "Enter the path of a .gguf file").max(4096, "That path is too long"),
  id: z.string().trim().max(200).optional(),
});

async function assertIdFree(id: string) {
  const prisma = await db();
  if (id === "*") throw invalid("\"*\" is reserved for tier defaults.", { id: "\"*\" is reserved" });
  const taken = await prisma.model.findUnique({ where: { id }, select: { id: true } });
  if (taken) throw new ServiceError("conflict", `A model with the ID "${id}" already exists.`, { id: "A model with this ID already exists" });
}

/** Two admins registering the same id at once: the loser gets the same answer as a late one. */
async function createModel<T>(id: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ServiceError("conflict", `A model with the ID "${id}" already exists.`, { id: "A model with this ID already exists" });
    throw err;
  }
}

function publicId(raw: string | undefined, fallback: string): string {
  const r = modelIdField.safeParse(raw?.trim() ? raw : fallback);
  if (!r.success) {
    const message = r.error.issues[0]?.message ?? "Enter a model ID";
    throw invalid(raw?.trim() ? message : `Enter a model ID (the default "${fallback.slice(0, 60)}" is not usable: ${message.toLowerCase()})`, { id: message });
  }
  return r.data;
}

/** Registers a GGUF file by absolute path; its id defaults to the file name, its window comes from its metadata. */
export async function registerLocalModel(actor: Actor, input: z.input<typeof registerLocalModelSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(registerLocalModelSchema, input);
  const gguf = await inspectGgufFile(d.path);
  const id = publicId(d.id, gguf.defaultId);
  await assertIdFree(id);
  const prisma = await db();
  const model = await createModel(id, () => prisma.model.create({
    data: {
      id, provider: "local", upstreamId: gguf.path, contextWindow: gguf.contextWindow, capabilities: LOCAL_CAPABILITIES,
      ownedBy: "local", source: "console", ...LOCAL_MODEL_PRICE,
    },
  }));
  invalidateCatalog();
  log.info("local model registered", { actorId: actor.userId, model: id, path: gguf.path });
  return model;
}

// ---- upstream models ----

/** The connection select's value for the upstream configured by UPSTREAM_BASE_URL. */
export const ENV_CONNECTION = "env";

export const registerUpstreamModelSchema = z.object({
  connectionId: z.string({ error: "Choose a connection" }).trim().min(1, "Choose a connection").max(64, "Choose a connection"),
  upstreamId: z
    .string({ error: "Enter the upstream's model name" })
    .trim()
    .min(1, "Enter the upstream's model name")
    .max(200, "Use at most 200 characters")
    .regex(/^\S+$/, "Model names have no spaces"),
  id: z.string().trim().max(200).optional(),
});

/**
 * Serves an upstream model through a console connection (or the environment's upstream).
 * Context window, capabilities and prices start from what we know of the name; unknown
 * models start unpriced, which the API refuses until an admin sets prices.
 */
export async function registerUpstreamModel(actor: Actor, input: z.input<typeof registerUpstreamModelSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(registerUpstreamModelSchema, input);
  const prisma = await db();
  let connectionId: string | null = null;
  if (d.connectionId === ENV_CONNECTION) {
    if (!getConfig().UPSTREAM_BASE_URL) throw invalid("No upstream is configured in the environment.", { connectionId: "Choose a connection" });
  } else {
    const c = await prisma.providerConnection.findUnique({ where: { id: d.connectionId }, select: { id: true } });
    if (!c) throw invalid("That connection no longer exists.", { connectionId: "Choose a connection" });
    connectionId = c.id;
  }
  const id = publicId(d.id, d.upstreamId);
  await assertIdFree(id);
  const guess = guessUpstreamModel(d.upstreamId);
  const model = await createModel(id, () =>
    prisma.model.create({
      data: { id, provider: "openai", upstreamId: d.upstreamId, connectionId, ownedBy: "upstream", source: "console", ...guess },
    }),
  );
  invalidateCatalog();
  log.info("upstream model registered", { actorId: actor.userId, model: id, connectionId });
  return model;
}

export const deleteModelSchema = z.object({ modelId: rowId });

/** Deletes a console-made model. Env and discovered ones come back at every start: disable those instead. */
export async function deleteModel(actor: Actor, input: z.input<typeof deleteModelSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(deleteModelSchema, input);
  const prisma = await db();
  const model = await prisma.model.findUnique({ where: { id: d.modelId }, select: { id: true, source: true } });
  if (!model) throw notFound("Model");
  if (model.source !== "console") {
    throw invalid(`${model.id} comes from the server's ${model.source === "env" ? "environment" : "model directory"} and returns at every start; disable it instead.`);
  }
  await prisma.model.delete({ where: { id: model.id } });
  invalidateCatalog();
  log.info("model deleted", { actorId: actor.userId, model: model.id });
}

/** Inputs of the model services, by operation (what their forms submit). */
export type ModelInput<K extends "update" | "registerLocal" | "registerUpstream" | "delete"> = {
  update: z.input<typeof updateModelSchema>;
  registerLocal: z.input<typeof registerLocalModelSchema>;
  registerUpstream: z.input<typeof registerUpstreamModelSchema>;
  delete: z.input<typeof deleteModelSchema>;
}[K];
