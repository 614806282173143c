import Ajv from "ajv";
import { NAME_RE } from "./types";

// Checks for the JSON editors (response format schema, function parameters), run as the user
// types. They mirror what the API itself refuses, so Run is disabled with the reason instead of
// sending a request that must fail.

export type Check<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** "Expected ',' … in JSON at position 42" → "line 3, column 7: Expected ',' …". */
export function parseJsonText(text: string): Check<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    let message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    message = message.replace(/\s*in JSON at position \d+(\s*\(line \d+ column \d+\))?/, "").replace(/^JSON\.parse: /, "");
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      return { ok: false, error: `Invalid JSON at line ${line}, column ${column}: ${message}` };
    }
    return { ok: false, error: `Invalid JSON: ${message}` };
  }
}

// Validates schemas against the JSON Schema meta-schema (a misspelt "type", "required" that is
// not a list…), which no hand-written check would keep up with.
let ajv: Ajv | null = null;

function checkSchemaObject(schema: unknown, what: string): string | null {
  if (!isObject(schema)) return `${what} must be a JSON object.`;
  if (!("type" in schema)) return `${what} needs a "type" (usually "object").`;
  if (typeof schema.type !== "string" && !Array.isArray(schema.type)) return `${what}: "type" must be a string such as "object".`;
  ajv ??= new Ajv({ strict: false, allErrors: false });
  if (!ajv.validateSchema(schema)) {
    const e = ajv.errors?.[0];
    const at = e?.instancePath ? ` at ${e.instancePath}` : "";
    const allowed = e?.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : "";
    return `${what} is not a valid JSON schema${at}: ${e?.message ?? "invalid"}${allowed}.`;
  }
  return null;
}

export function checkName(name: unknown, what: string): string | null {
  if (typeof name !== "string" || name === "") return `${what} is required.`;
  if (name.length > 64) return `${what} is longer than 64 characters.`;
  if (!NAME_RE.test(name)) return `${what} may only contain letters, digits, "_" and "-".`;
  return null;
}

export type JsonSchemaFormat = { name: string; description?: string; schema: Obj; strict?: boolean };

const FORMAT_KEYS = new Set(["name", "description", "schema", "strict"]);

/** The `response_format.json_schema` editor: { name, schema, strict?, description? }. */
export function checkResponseSchema(text: string): Check<JsonSchemaFormat> {
  if (!text.trim()) return { ok: false, error: "Enter a JSON schema, or pick one from Examples." };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (!isObject(v)) return { ok: false, error: 'The schema must be a JSON object with "name" and "schema".' };
  const unknown = Object.keys(v).find((k) => !FORMAT_KEYS.has(k));
  if (unknown) {
    const hint = unknown === "type" || unknown === "properties" ? ' Put the JSON schema itself under "schema".' : "";
    return { ok: false, error: `Unknown key "${unknown}": expected only name, description, schema and strict.${hint}` };
  }
  const nameError = checkName(v.name, '"name"');
  if (nameError) return { ok: false, error: nameError };
  if (!("schema" in v)) return { ok: false, error: '"schema" is required: the JSON schema the answer must follow.' };
  const schemaError = checkSchemaObject(v.schema, '"schema"');
  if (schemaError) return { ok: false, error: schemaError };
  if ("strict" in v && typeof v.strict !== "boolean") return { ok: false, error: '"strict" must be true or false.' };
  if ("description" in v && typeof v.description !== "string") return { ok: false, error: '"description" must be a string.' };
  return { ok: true, value: v as JsonSchemaFormat };
}

/** A function's parameters editor: a JSON schema object, or empty for a function without parameters. */
export function checkFunctionParameters(text: string): Check<Obj | undefined> {
  if (!text.trim()) return { ok: true, value: undefined };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  const error = checkSchemaObject(parsed.value, "Parameters");
  if (error) return { ok: false, error };
  return { ok: true, value: parsed.value as Obj };
}

// ---- Templates ----

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

export const RESPONSE_SCHEMA_EXAMPLES: { label: string; text: string }[] = [
  {
    label: "math_answer",
    text: pretty({
      name: "math_answer",
      strict: true,
      schema: {
        type: "object",
        properties: {
          steps: {
            type: "array",
            items: {
              type: "object",
              properties: { explanation: { type: "string" }, output: { type: "string" } },
              required: ["explanation", "output"],
              additionalProperties: false,
            },
          },
          final_answer: { type: "string" },
        },
        required: ["steps", "final_answer"],
        additionalProperties: false,
      },
    }),
  },
  {
    label: "calendar_event",
    text: pretty({
      name: "calendar_event",
      strict: true,
      schema: {
        type: "object",
        properties: {
          name: { type: "string", description: "What the event is" },
          date: { type: "string", description: "The day, as YYYY-MM-DD" },
          participants: { type: "array", items: { type: "string" } },
        },
        required: ["name", "date", "participants"],
        additionalProperties: false,
      },
    }),
  },
  {
    label: "sentiment",
    text: pretty({
      name: "sentiment",
      strict: true,
      schema: {
        type: "object",
        properties: {
          label: { type: "string", enum: ["positive", "neutral", "negative"] },
          confidence: { type: "number", description: "Between 0 and 1" },
        },
        required: ["label", "confidence"],
        additionalProperties: false,
      },
    }),
  },
];

export const FUNCTION_EXAMPLES = [
  {
    label: "get_weather",
    name: "get_weather",
    description: "Get the current weather in a given location",
    parameters: pretty({
      type: "object",
      properties: {
        location: { type: "string", description: "City and country, e.g. Paris, France" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["location", "unit"],
      additionalProperties: false,
    }),
    strict: true,
  },
  {
    label: "get_stock_price",
    name: "get_stock_price",
    description: "Get the latest price of a stock",
    parameters: pretty({
      type: "object",
      properties: { symbol: { type: "string", description: "Ticker symbol, e.g. AAPL" } },
      required: ["symbol"],
      additionalProperties: false,
    }),
    strict: true,
  },
];
