import { z } from "zod";

// The playground's saved state ("preset config"): validated by the server before a preset is
// stored (lib/playground/presets.ts) and by the page when one is loaded.

/** OpenAI's rule for function and schema names. */
export const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

export const MAX_STOP_SEQUENCES = 4;

// Generous bounds: they only stop absurd payloads; the API enforces the real limits.
const MAX_TEXT = 1_000_000;
const MAX_IMAGE_URL = 10_000_000;

const toolCallSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.literal("function"),
  function: z.object({ name: z.string().max(200), arguments: z.string().max(MAX_TEXT) }),
});

/**
 * One conversation message, already in the Chat Completions wire shape except for user images,
 * which are kept as a list of URLs (https: or data:) and become content parts when sent.
 */
const messageSchema = z.discriminatedUnion("role", [
  z.object({
    role: z.literal("user"),
    content: z.string().max(MAX_TEXT),
    images: z.array(z.string().min(1).max(MAX_IMAGE_URL)).max(20).optional(),
  }),
  z.object({
    role: z.literal("assistant"),
    content: z.string().max(MAX_TEXT).nullable(),
    tool_calls: z.array(toolCallSchema).max(128).optional(),
  }),
  z.object({
    role: z.literal("tool"),
    tool_call_id: z.string().min(1).max(200),
    content: z.string().max(MAX_TEXT),
  }),
]);

const parametersSchema = z.object({
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1),
  /** null: not sent (the model's default applies). */
  maxCompletionTokens: z.number().int().min(1).nullable(),
  frequencyPenalty: z.number().min(-2).max(2),
  presencePenalty: z.number().min(-2).max(2),
  /** null: not sent. */
  seed: z.number().int().nullable(),
  stop: z.array(z.string().min(1).max(1000)).max(MAX_STOP_SEQUENCES),
});

/**
 * `jsonSchema` is the editor's text: the JSON of Chat Completions' `response_format.json_schema`
 * object ({ name, schema, strict?, description? }). Kept as text so a preset saved mid-edit
 * (even with invalid JSON) reopens exactly as it was.
 */
const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({ type: z.literal("json_schema"), jsonSchema: z.string().max(MAX_TEXT) }),
]);

/** A function tool; `parameters` is the JSON-schema editor's text ("" sends no parameters). */
const functionSchema = z.object({
  name: z.string().max(64),
  description: z.string().max(MAX_TEXT),
  parameters: z.string().max(MAX_TEXT),
  strict: z.boolean().optional(),
});

const toolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ function: z.string().max(64) }),
]);

export const playgroundConfigSchema = z.object({
  version: z.literal(1),
  model: z.string().max(200),
  /** The system message; "" sends none. */
  system: z.string().max(MAX_TEXT),
  messages: z.array(messageSchema).max(500),
  parameters: parametersSchema,
  responseFormat: responseFormatSchema,
  tools: z.array(functionSchema).max(128),
  toolChoice: toolChoiceSchema,
  parallelToolCalls: z.boolean(),
});

export type PlaygroundConfig = z.infer<typeof playgroundConfigSchema>;
export type PlaygroundMessage = z.infer<typeof messageSchema>;
export type PlaygroundToolCall = z.infer<typeof toolCallSchema>;
export type PlaygroundParameters = z.infer<typeof parametersSchema>;
export type ResponseFormatConfig = z.infer<typeof responseFormatSchema>;
export type FunctionConfig = z.infer<typeof functionSchema>;
export type ToolChoiceConfig = z.infer<typeof toolChoiceSchema>;

/** A preset config, or null when `value` is not one (unknown keys are dropped). */
export function parsePlaygroundConfig(value: unknown): PlaygroundConfig | null {
  const parsed = playgroundConfigSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
