import "server-only";
import { getProjectPolicy } from "@/lib/gateway/policy";
import { listCatalogModels } from "@/lib/models/catalog";

// The models the playground offers: the chat models the project may use (its allowed-models
// setting; all enabled models when it has none), with what the picker shows about each.

export type PlaygroundModel = {
  id: string;
  provider: string;
  contextWindow: number | null;
  /** Dollars per 1M input tokens. */
  inputPricePerMTok: number | null;
  /** Dollars per 1M output tokens. */
  outputPricePerMTok: number | null;
  /** e.g. "chat", "tools", "json_schema", "vision", "embeddings" */
  capabilities: string[];
};

const perMTok = (micros: number | null) => (micros === null ? null : micros / 1_000_000);

export async function listPlaygroundModels(projectId: string): Promise<PlaygroundModel[]> {
  const policy = await getProjectPolicy(projectId);
  const models = await listCatalogModels(policy.allowedModels, policy.projectId);
  return models
    .filter((m) => m.capabilities.includes("chat"))
    .map((m) => ({
      id: m.id,
      provider: m.provider,
      contextWindow: m.contextWindow || null,
      inputPricePerMTok: perMTok(m.inputPriceMicros),
      outputPricePerMTok: perMTok(m.outputPriceMicros),
      capabilities: [...m.capabilities],
    }));
}
