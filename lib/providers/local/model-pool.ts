import "server-only";
import fs from "node:fs";
import {
  GeneralChatWrapper,
  resolveChatWrapper,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaModel,
} from "node-llama-cpp";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";
import { overloaded, providerError } from "@/lib/openai/errors";
import type { ModelEntry } from "@/lib/providers/types";
import { contextWindowFor, getLlamaRuntime, threadCount } from "./runtime";
import { QueueFullError, WorkQueue, type Release } from "./work-queue";

// Loaded local models, one slot per GGUF path. A model loads on first use and unloads after
// LOCAL_MODEL_IDLE_SECONDS without any request holding it. Every request holds a lease on its
// slot for as long as it needs the model (waiting in the queue included), so the idle timer
// only runs when nobody does.

export type LoadedModel = {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chatWrapper: ChatWrapper;
  /** Tokens the generation context holds: prompt plus completion must fit. */
  contextSize: number;
  vocabularySize: number;
  embedding: Promise<LlamaEmbeddingContext> | null;
};

type Slot = {
  path: string;
  /** Public model id, for metrics labels and messages (the last one a request used). */
  label: string;
  queue: WorkQueue;
  loaded: Promise<LoadedModel> | null;
  /** The load finished (a slot that is still loading is not reported as loaded). */
  ready: boolean;
  leases: number;
  idleTimer: NodeJS.Timeout | null;
  /** Moving average of job durations, for retry-after estimates. */
  avgJobMs: number;
  /** The GGUF's size: what the memory budget counts for a loaded model. */
  sizeBytes: number;
  lastUsed: number;
};

// One generation at a time per model: on CPU a second sequence would only split the same cores.
const CONCURRENCY = 1;

const g = globalThis as unknown as { __gatehouseLocalSlots?: Map<string, Slot> };
const slots = (g.__gatehouseLocalSlots ??= new Map<string, Slot>());

function slotFor(entry: ModelEntry): Slot {
  let slot = slots.get(entry.upstreamId);
  if (!slot) {
    slot = {
      path: entry.upstreamId,
      label: entry.id,
      queue: new WorkQueue(CONCURRENCY, () => getConfig().LOCAL_MODEL_QUEUE_SIZE),
      loaded: null,
      ready: false,
      leases: 0,
      idleTimer: null,
      avgJobMs: 1000,
      sizeBytes: 0,
      lastUsed: 0,
    };
    slots.set(entry.upstreamId, slot);
  }
  slot.label = entry.id;
  return slot;
}

/** A hold on a model: keeps it loaded until released. */
export type ModelLease = {
  entry: ModelEntry;
  /** Loads the model if needed (shared by concurrent callers). */
  load(): Promise<LoadedModel>;
  /** Fails fast with 503 when the queue is already full, before any loading work. */
  checkCapacity(): void;
  /** Waits for this model's turn; the returned function ends it. */
  acquireTurn(signal: AbortSignal): Promise<Release>;
  release(): void;
};

export function leaseModel(entry: ModelEntry): ModelLease {
  const slot = slotFor(entry);
  slot.leases++;
  slot.lastUsed = Date.now();
  if (slot.idleTimer) {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
  }
  let released = false;
  return {
    entry,
    load: () => loadSlot(slot),
    checkCapacity: () => {
      if (slot.queue.full) throw busy(slot);
    },
    acquireTurn: async (signal) => {
      let release: Release;
      try {
        release = await slot.queue.acquire(signal);
      } catch (err) {
        if (err instanceof QueueFullError) throw busy(slot);
        throw err;
      }
      const started = performance.now();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        slot.avgJobMs = 0.8 * slot.avgJobMs + 0.2 * (performance.now() - started);
        release();
      };
    },
    release: () => {
      if (released) return;
      released = true;
      slot.leases--;
      if (slot.leases === 0) scheduleIdleUnload(slot);
    },
  };
}

function busy(slot: Slot) {
  const waitSeconds = (slot.avgJobMs / 1000) * (slot.queue.depth + 1);
  return overloaded(
    `The model \`${slot.label}\` is overloaded: ${slot.queue.depth} requests are already waiting. Please retry shortly.`,
    waitSeconds,
  );
}

function scheduleIdleUnload(slot: Slot) {
  if (!slot.loaded) return;
  const seconds = getConfig().LOCAL_MODEL_IDLE_SECONDS;
  slot.idleTimer = setTimeout(() => {
    slot.idleTimer = null;
    if (slot.leases === 0) void unloadSlot(slot);
  }, seconds * 1000);
  // An idle model must never keep the process alive (tests, graceful shutdown).
  slot.idleTimer.unref();
}

/**
 * LOCAL_MODEL_MEMORY_MB bounds the models kept loaded (counted by GGUF size): before loading
 * one, idle models are unloaded, least recently used first, until it fits. Models in use are
 * never unloaded, so a burst across many models can exceed the budget until they go idle.
 */
async function makeRoomFor(slot: Slot) {
  const budgetMb = getConfig().LOCAL_MODEL_MEMORY_MB;
  slot.sizeBytes = (await fs.promises.stat(slot.path).catch(() => null))?.size ?? 0;
  if (!budgetMb) return;
  const budget = budgetMb * 1024 * 1024;
  const loaded = () => [...slots.values()].filter((s) => s !== slot && s.loaded);
  let used = loaded().reduce((n, s) => n + s.sizeBytes, 0);
  for (const victim of loaded().filter((s) => s.leases === 0).sort((a, b) => a.lastUsed - b.lastUsed)) {
    if (used + slot.sizeBytes <= budget) break;
    if (victim.idleTimer) clearTimeout(victim.idleTimer);
    victim.idleTimer = null;
    used -= victim.sizeBytes;
    await unloadSlot(victim);
  }
  if (used + slot.sizeBytes > budget) log.warn("local models exceed LOCAL_MODEL_MEMORY_MB while in use", { model: slot.label, usedMb: Math.round(used / 1048576) });
}

function loadSlot(slot: Slot): Promise<LoadedModel> {
  if (!slot.loaded) {
    const started = performance.now();
    const pending: Promise<LoadedModel> = makeRoomFor(slot).then(() => createLoadedModel(slot.path)).then(
      (loaded) => {
        if (slot.loaded === pending) slot.ready = true;
        log.info("local model loaded", { model: slot.label, ms: Math.round(performance.now() - started), contextSize: loaded.contextSize });
        return loaded;
      },
      (err: unknown) => {
        if (slot.loaded === pending) slot.loaded = null; // the next request tries again
        log.error("local model failed to load", { model: slot.label, path: slot.path, error: String(err) });
        throw providerError(`The model \`${slot.label}\` could not be loaded.`, 500);
      },
    );
    slot.loaded = pending;
  }
  return slot.loaded;
}

async function createLoadedModel(path: string): Promise<LoadedModel> {
  const llama = await getLlamaRuntime();
  const model = await llama.loadModel({ modelPath: path });
  try {
    const contextSize = contextWindowFor(model.trainContextSize);
    const context = await model.createContext({ contextSize, threads: threadCount(), sequences: CONCURRENCY });
    return {
      llama,
      model,
      context,
      sequence: context.getSequence(),
      chatWrapper: chatWrapperFor(model),
      contextSize: Math.min(contextSize, context.contextSize),
      vocabularySize: model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length ?? 0,
      embedding: null,
    };
  } catch (err) {
    await model.dispose();
    throw err;
  }
}

/**
 * The model's own chat template when its GGUF has one (node-llama-cpp maps it to a specialized
 * wrapper or renders the Jinja template). Without one, node-llama-cpp would guess from the
 * architecture (e.g. Llama 2's [INST] format for any llama model), which is arbitrary for a
 * base model: a plain "### Human / ### Assistant" transcript is the neutral choice.
 */
function chatWrapperFor(model: LlamaModel): ChatWrapper {
  const template = model.fileInfo.metadata?.tokenizer?.chat_template;
  if (typeof template === "string" && template.trim() !== "") return resolveChatWrapper(model);
  return new GeneralChatWrapper();
}

/** The embedding context, created on first use (a second, smaller KV cache). */
export function embeddingContextFor(loaded: LoadedModel): Promise<LlamaEmbeddingContext> {
  if (!loaded.embedding) {
    loaded.embedding = loaded.model
      .createEmbeddingContext({
        // One more than the window: node-llama-cpp needs input length < context size.
        contextSize: loaded.contextSize + 1,
        threads: threadCount(),
      })
      .catch((err: unknown) => {
        loaded.embedding = null;
        throw err;
      });
  }
  return loaded.embedding;
}

async function unloadSlot(slot: Slot) {
  const pending = slot.loaded;
  slot.loaded = null;
  slot.ready = false;
  if (!pending) return;
  const loaded = await pending.catch(() => null);
  if (!loaded) return;
  const embedding = await loaded.embedding?.catch(() => null);
  await embedding?.dispose();
  await loaded.context.dispose();
  await loaded.model.dispose();
  log.info("local model unloaded", { model: slot.label });
}

/** Unloads every model now (graceful shutdown, tests); waiting requests are refused. */
export async function unloadAllLocalModels(): Promise<void> {
  const all = [...slots.values()];
  for (const slot of all) {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.queue.rejectAll(providerError(`The model \`${slot.label}\` is shutting down.`, 503));
  }
  await Promise.all(all.map((slot) => unloadSlot(slot)));
}

export function localModelStats(): { loaded: string[]; queueDepth: Record<string, number>; active: Record<string, number> } {
  const loaded: string[] = [];
  const queueDepth: Record<string, number> = {};
  const active: Record<string, number> = {};
  for (const slot of slots.values()) {
    if (slot.ready) loaded.push(slot.label);
    queueDepth[slot.label] = slot.queue.depth;
    active[slot.label] = slot.queue.active;
  }
  return { loaded, queueDepth, active };
}
