import "server-only";
import path from "node:path";
import { db } from "@/lib/db";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { discoverLocalModels } from "@/lib/providers/local";
import { parseUpstreamModels } from "@/lib/providers/openai-compatible";
import type { ModelCapability, ModelEntry } from "@/lib/providers/types";
import { guessUpstreamModel, LOCAL_MODEL_PRICE, TIER_LIMITS } from "./defaults";

/** A catalog row as the gateway needs it: the provider's view plus prices. */
export type CatalogModel = ModelEntry & {
  ownedBy: string;
  created: number;
  inputPriceMicros: number | null;
  cachedInputPriceMicros: number | null;
  outputPriceMicros: number | null;
  /** Per 1M training tokens; null = not fine-tunable here. */
  trainingPriceMicros: number | null;
  /** Fine-tuned models (and their checkpoints) belong to one project; null = catalog model. */
  projectId: string | null;
  /** The console-configured upstream serving it (null: local, or the env upstream). */
  connectionId: string | null;
};

// ---- start-up sync ----

/**
 * Makes the catalog match the environment, idempotently, at every start: local GGUF files in
 * LOCAL_MODEL_DIR and UPSTREAM_MODELS become (or stay) enabled models; env/discovered rows whose
 * source is gone are disabled, never deleted (usage history refers to them). Prices and limits
 * admins changed are kept: defaults only fill what does not exist yet.
 */
export async function syncCatalog() {
  const config = getConfig();
  const prisma = await db();
  const seen = new Set<string>();

  if (config.LOCAL_MODEL_DIR) {
    const dir = path.resolve(config.LOCAL_MODEL_DIR);
    for (const m of await discoverLocalModels(dir)) {
      seen.add(m.id);
      await prisma.model.upsert({
        where: { id: m.id },
        create: {
          id: m.id, provider: "local", upstreamId: m.path, contextWindow: m.contextWindow, capabilities: m.capabilities,
          ownedBy: "local", source: "discovered", ...LOCAL_MODEL_PRICE,
        },
        update: { provider: "local", upstreamId: m.path, contextWindow: m.contextWindow, capabilities: m.capabilities, enabled: true, connectionId: null },
      });
    }
  }

  if (config.UPSTREAM_BASE_URL && config.UPSTREAM_MODELS) {
    for (const m of parseUpstreamModels(config.UPSTREAM_MODELS)) {
      seen.add(m.id);
      const guess = guessUpstreamModel(m.upstreamId);
      await prisma.model.upsert({
        where: { id: m.id },
        create: { id: m.id, provider: "openai", upstreamId: m.upstreamId, ownedBy: "upstream", source: "env", ...guess },
        update: { provider: "openai", upstreamId: m.upstreamId, enabled: true, connectionId: null },
      });
    }
  }

  await prisma.model.updateMany({
    where: { source: { in: ["env", "discovered"] }, id: { notIn: [...seen] }, enabled: true },
    data: { enabled: false },
  });

  // Tier limits: fill missing rows only.
  const rows = Object.entries(TIER_LIMITS).flatMap(([tier, models]) =>
    Object.entries(models).map(([model, l]) => ({ tier: Number(tier), model, ...l })),
  );
  await prisma.tierLimit.createMany({ data: rows, skipDuplicates: true });

  invalidateCatalog();
  log.info("model catalog synced", { models: [...seen] });
}

// ---- lookups (cached: the API reads these on every request) ----

const CACHE_MS = 5_000;
type Snapshot = { at: number; models: Map<string, CatalogModel> };
const g = globalThis as unknown as { __gatehouseCatalog?: Promise<Snapshot> };

async function load(): Promise<Snapshot> {
  const config = getConfig();
  const prisma = await db();
  const rows = await prisma.model.findMany({ where: { enabled: true }, include: { connection: true } });
  const models = new Map<string, CatalogModel>();
  for (const r of rows) {
    let upstream: ModelEntry["upstream"];
    if (r.provider === "openai") {
      if (r.connection) {
        upstream = { baseUrl: r.connection.baseUrl, apiKey: r.connection.apiKeyEncrypted ? decryptSecret(r.connection.apiKeyEncrypted) : null };
      } else if (config.UPSTREAM_BASE_URL) {
        upstream = { baseUrl: config.UPSTREAM_BASE_URL, apiKey: config.UPSTREAM_API_KEY ?? null };
      } else {
        continue; // an env upstream model whose upstream is no longer configured
      }
    }
    models.set(r.id, {
      id: r.id,
      provider: r.provider,
      upstreamId: r.upstreamId,
      upstream,
      contextWindow: r.contextWindow,
      capabilities: r.capabilities as ModelCapability[],
      ownedBy: r.ownedBy,
      created: Math.floor(r.createdAt.getTime() / 1000),
      inputPriceMicros: r.inputPriceMicros,
      cachedInputPriceMicros: r.cachedInputPriceMicros,
      outputPriceMicros: r.outputPriceMicros,
      trainingPriceMicros: r.trainingPriceMicros,
      projectId: r.projectId,
      connectionId: r.connectionId,
    });
  }
  return { at: Date.now(), models };
}

async function snapshot(): Promise<Snapshot> {
  const current = g.__gatehouseCatalog;
  if (current) {
    const s = await current.catch(() => null);
    if (s && Date.now() - s.at < CACHE_MS) return s;
  }
  const next = load();
  g.__gatehouseCatalog = next;
  return next;
}

export function invalidateCatalog() {
  g.__gatehouseCatalog = undefined;
}

export async function getCatalogModel(id: string): Promise<CatalogModel | undefined> {
  return (await snapshot()).models.get(id);
}

/** Whether a project may see and call a model: its own fine-tuned models, and catalog models its allow-list (empty = all) admits. */
export function modelUsableBy(model: CatalogModel, projectId: string, allowed: readonly string[]): boolean {
  if (model.projectId !== null) return model.projectId === projectId;
  return allowed.length === 0 || allowed.includes(model.id);
}

/**
 * Enabled models, sorted by id: with a project, those it may use (see modelUsableBy);
 * without one, the catalog models alone (no project's fine-tuned models).
 */
export async function listCatalogModels(allowed: readonly string[] = [], projectId: string | null = null): Promise<CatalogModel[]> {
  const all = [...(await snapshot()).models.values()];
  const list = projectId === null
    ? all.filter((m) => m.projectId === null && (allowed.length === 0 || allowed.includes(m.id)))
    : all.filter((m) => modelUsableBy(m, projectId, allowed));
  return list.sort((a, b) => a.id.localeCompare(b.id));
}
