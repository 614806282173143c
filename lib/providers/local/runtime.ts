import "server-only";
import os from "node:os";
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";

// The one llama.cpp runtime of this process. Kept on globalThis so that Next.js dev reloads,
// which re-evaluate modules, reuse it (and the models it holds) instead of loading them twice.

/**
 * Largest context we allocate, whatever the model was trained on: the KV cache grows linearly
 * with it, and a 128K-token cache would take gigabytes per loaded model on a CPU box.
 */
export const MAX_CONTEXT_TOKENS = 8192;

/** Context size we give a model whose GGUF does not state its training context. */
export const DEFAULT_CONTEXT_TOKENS = 2048;

export function contextWindowFor(trainContextSize: number | undefined): number {
  const train = trainContextSize && trainContextSize > 0 ? trainContextSize : DEFAULT_CONTEXT_TOKENS;
  return Math.min(train, MAX_CONTEXT_TOKENS);
}

/**
 * Threads per evaluation. node-llama-cpp's default is max(cores, 4), which on small machines
 * oversubscribes the CPU and, with llama.cpp's spin-waiting, starves Node's event loop (200
 * tokens of a tiny model took 112 s instead of 0.13 s). One core stays free for the server.
 */
export function threadCount(): number {
  return getConfig().LOCAL_MODEL_THREADS ?? Math.max(1, os.availableParallelism() - 1);
}

type LocalRuntime = { llama: Promise<Llama> | null };
const g = globalThis as unknown as { __gatehouseLlama?: LocalRuntime };
const runtime = (g.__gatehouseLlama ??= { llama: null });

export function getLlamaRuntime(): Promise<Llama> {
  if (!runtime.llama) {
    const threads = threadCount();
    runtime.llama = getLlama({
      gpu: false,
      // Never compile llama.cpp at request time: the prebuilt CPU binaries ship with the package.
      build: "never",
      // Also the shared budget across contexts, so two loaded models do not double the threads.
      maxThreads: threads,
      logLevel: LlamaLogLevel.error,
      logger: (level, message) => {
        const text = message.trim();
        if (text) log.error("llama.cpp", { level, message: text });
      },
    }).catch((err: unknown) => {
      runtime.llama = null; // let the next request retry instead of caching the failure
      throw err;
    });
  }
  return runtime.llama;
}
