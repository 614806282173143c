import "server-only";
import { createOpenAICompatibleProvider } from "./provider";

export { createOpenAICompatibleProvider, type OpenAICompatibleOptions } from "./provider";
export { parseUpstreamModels, type UpstreamModelSpec } from "./models-spec";

/** The registry's instance: timeouts and retries from UPSTREAM_TIMEOUT_MS / UPSTREAM_MAX_RETRIES. */
export const openAICompatibleProvider = createOpenAICompatibleProvider();
