// The shapes the playground's client components share. The saved state itself (a preset's
// config) is defined in lib/playground/config.ts, which the server validates presets with.
import type { PlaygroundConfig, PlaygroundParameters, PlaygroundMessage } from "@/lib/playground/config";

export { NAME_RE, MAX_STOP_SEQUENCES, playgroundConfigSchema, parsePlaygroundConfig } from "@/lib/playground/config";
export type { PlaygroundConfig, PlaygroundMessage, PlaygroundToolCall, PlaygroundParameters, ResponseFormatConfig, FunctionConfig, ToolChoiceConfig } from "@/lib/playground/config";

export const DEFAULT_PARAMETERS: PlaygroundParameters = {
  temperature: 1,
  topP: 1,
  maxCompletionTokens: null,
  frequencyPenalty: 0,
  presencePenalty: 0,
  seed: null,
  stop: [],
};

export function emptyConfig(model: string): PlaygroundConfig {
  return {
    version: 1,
    model,
    system: "",
    messages: [],
    parameters: { ...DEFAULT_PARAMETERS },
    responseFormat: { type: "text" },
    tools: [],
    toolChoice: "auto",
    parallelToolCalls: true,
  };
}

// ---- Presets (stored by the server; the page hands them in) ----

export type PresetSummary = {
  id: string;
  name: string;
  updatedAt: string | Date;
  /** Who saved it (display name or email), when the server says. */
  createdBy?: string | null;
  /** Saved by the viewer: authors (and project owners) may rename and delete. */
  mine?: boolean;
};

export type PresetActionResult = { ok: true; preset?: PresetSummary } | { ok: false; error: string };

/** The server actions of app/(console)/projects/[projectId]/playground/actions.ts. */
export type PresetActions = {
  save: (projectId: string, input: { name: string; config: PlaygroundConfig }) => Promise<PresetActionResult>;
  rename: (projectId: string, presetId: string, name: string) => Promise<PresetActionResult>;
  remove: (projectId: string, presetId: string) => Promise<PresetActionResult>;
  /** Overwrites a preset's config ("Save"); without it only "Save as…" is offered. */
  update?: (projectId: string, presetId: string, config: PlaygroundConfig) => Promise<PresetActionResult>;
};

// ---- Client-side run state (never stored) ----

export type RunStatus = "streaming" | "done" | "stopped" | "error";

export type RunError = {
  /** HTTP status, or null when the server could not be reached. */
  status: number | null;
  message: string;
  type: string | null;
  code: string | null;
  param: string | null;
  /** 429 only: the `retry-after` and `x-ratelimit-reset-*` headers as sent. */
  retryAfter?: string | null;
  resetRequests?: string | null;
  resetTokens?: string | null;
  /** When the error arrived (ms since epoch), to show the reset as a clock time. */
  at: number;
};

export type RunStats = {
  model: string;
  requestId: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** From sending the request to the end of the stream. */
  latencyMs: number | null;
  /** From sending the request to the first generated content or tool call fragment. */
  ttftMs: number | null;
  /** Integer nano-dollars (prices per 1M tokens have fractions of a micro-dollar per token); null when unknown. */
  costNanos: number | null;
  finishReason: string | null;
};

export type RunInfo = { status: RunStatus; stats: RunStats | null; error: RunError | null };

/** A conversation entry on screen: a message plus, for generated answers, how the run went. */
export type ConversationItem = { id: string; message: PlaygroundMessage; run?: RunInfo };
