import "server-only";
import type { Provider } from "@/lib/providers/types";
import { countLocalPromptTokens, localChat, localChatStream } from "./chat";
import { localEmbed } from "./embed";

// Local GGUF models run in-process through node-llama-cpp. `ModelEntry.upstreamId` is the
// absolute path of the GGUF file; models load on first use and unload when idle.

export const localProvider: Provider = {
  id: "local",
  chat: localChat,
  chatStream: localChatStream,
  embed: localEmbed,
  countPromptTokens: countLocalPromptTokens,
};

export { discoverLocalModels, type DiscoveredModel } from "./discover";
export { localModelStats, unloadAllLocalModels } from "./model-pool";
