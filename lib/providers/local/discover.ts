import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { log } from "@/lib/log";
import type { ModelCapability } from "@/lib/providers/types";
import { contextWindowFor } from "./runtime";

export type DiscoveredModel = { id: string; path: string; contextWindow: number; capabilities: ModelCapability[] };

// Grammars give every GGUF tool calls and JSON schemas; vision would need a projector we do not load.
const CAPABILITIES: ModelCapability[] = ["chat", "embeddings", "tools", "json_schema"];

// Split models are named model-00001-of-00003.gguf; node-llama-cpp loads the rest from the first.
const SPLIT_PART = /-(\d{5})-of-(\d{5})$/;

/**
 * Every `*.gguf` model in `dir`, read from its metadata only (no weights are loaded). The context
 * window is the model's training context, capped at what we allocate. Unreadable files and
 * non-language models (vision projectors) are skipped with a warning.
 */
export async function discoverLocalModels(dir: string): Promise<DiscoveredModel[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith(".gguf"))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    log.warn("local model directory unreadable", { dir, error: String(err) });
    return [];
  }

  const models: DiscoveredModel[] = [];
  for (const name of names) {
    let id = name.slice(0, -".gguf".length);
    const split = SPLIT_PART.exec(id);
    if (split) {
      if (Number(split[1]) !== 1) continue;
      id = id.slice(0, split.index);
    }
    const file = path.resolve(dir, name);
    try {
      const info = await readGgufFileInfo(file, { readTensorInfo: false });
      const architecture = info.metadata?.general?.architecture;
      if (architecture === "clip") continue;
      const trainContext = (info.architectureMetadata as { context_length?: unknown } | undefined)?.context_length;
      models.push({
        id,
        path: file,
        contextWindow: contextWindowFor(typeof trainContext === "number" ? trainContext : undefined),
        capabilities: [...CAPABILITIES],
      });
    } catch (err) {
      log.warn("skipping unreadable GGUF file", { file, error: String(err) });
    }
  }
  return models;
}
