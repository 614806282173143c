import "server-only";
import { localProvider } from "@/lib/providers/local";
import { openAICompatibleProvider } from "@/lib/providers/openai-compatible";
import type { Provider } from "./types";

// Providers are declarative adapters looked up by the catalog's `provider` column: adding one
// means adding it here, never branching on provider names in the gateway.
const providers: Record<string, Provider> = {
  [localProvider.id]: localProvider,
  [openAICompatibleProvider.id]: openAICompatibleProvider,
};

export function getProvider(id: string): Provider | undefined {
  return providers[id];
}
