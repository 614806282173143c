import { invalidRequest } from "@/lib/openai/errors";
import { checkImageUrl } from "@/lib/openai/images";
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  EmbeddingRequest,
  FunctionTool,
  ResponseFormat,
  ToolCall,
  ToolChoice,
} from "@/lib/providers/types";

// Validation of /v1 request bodies with OpenAI's own error wording, param paths and codes, so
// the official SDKs (and code that matches on OpenAI's messages) cannot tell us apart.
//
// Checks run in OpenAI's order: the model, the presence of the required field, unknown
// top-level parameters, then each parameter's type, enum and range (the schema pass), and only
// then the rules between fields (message sequencing, tool references, stream options). Within
// a pass, fields are checked in the order OpenAI reports them. Note that OpenAI's semantic
// messages use "messages.[i]" where its schema messages use "messages[i]": both are kept.

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** How OpenAI names a JSON value's type in its messages. */
export function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "number":
      return Number.isInteger(v) ? "an integer" : "a decimal number";
    case "object":
      return "an object";
    default:
      return typeof v;
  }
}

/** 'a', 'a' and 'b', 'a', 'b', and 'c' — the way OpenAI lists values. */
function quoteList(values: readonly string[], conjunction: "and" | "or"): string {
  const q = values.map((v) => `'${v}'`);
  if (q.length <= 1) return q.join("");
  if (q.length === 2) return `${q[0]} ${conjunction} ${q[1]}`;
  return `${q.slice(0, -1).join(", ")}, ${conjunction} ${q[q.length - 1]}`;
}

// ---- OpenAI's error sentences ----

const err = {
  invalidType: (param: string, expected: string, value: unknown) =>
    invalidRequest(`Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`, param, "invalid_type"),
  missing: (param: string) => invalidRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter"),
  invalidValue: (param: string, value: string, supported: readonly string[]) =>
    invalidRequest(`Invalid value: '${value}'. Supported values are: ${quoteList(supported, "and")}.`, param, "invalid_value"),
  unknown: (param: string) => invalidRequest(`Unknown parameter: '${param}'.`, param, "unknown_parameter"),
  unsupportedValue: (param: string, value: string) =>
    invalidRequest(`Unsupported value: '${param}' does not support '${value}' with this model.`, param, "unsupported_value"),
  emptyArray: (param: string) =>
    invalidRequest(`Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`, param, "empty_array"),
  arrayTooLong: (param: string, max: number, length: number) =>
    invalidRequest(
      `Invalid '${param}': array too long. Expected an array with maximum length ${max}, but got an array with length ${length} instead.`,
      param,
      "array_above_max_length",
    ),
  emptyString: (param: string) =>
    invalidRequest(`Invalid '${param}': empty string. Expected a string with minimum length 1, but got an empty string instead.`, param, "empty_string"),
  stringTooLong: (param: string, max: number, length: number) =>
    invalidRequest(
      `Invalid '${param}': string too long. Expected a string with maximum length ${max}, but got a string with length ${length} instead.`,
      param,
      "string_above_max_length",
    ),
  pattern: (param: string, pattern: string) =>
    invalidRequest(`Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '${pattern}'.`, param, "invalid_value"),
  range: (param: string, kind: "decimal" | "integer", side: "above" | "below", bound: number, value: number) =>
    invalidRequest(
      `Invalid '${param}': ${kind} ${side === "above" ? "above maximum" : "below minimum"} value. Expected a value ${side === "above" ? "<=" : ">="} ${bound}, but got ${value} instead.`,
      param,
      `${kind}_${side}_${side === "above" ? "max" : "min"}_value`,
    ),
  /** The semantic pass answers without a code. */
  semantic: (message: string, param: string | null) => invalidRequest(message, param, null),
};

// ---- readers: null means "not given" for every optional parameter ----

function present(obj: Obj, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}

function readString(obj: Obj, key: string, param: string): string | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (typeof v !== "string") throw err.invalidType(param, "a string", v);
  return v;
}

function readBoolean(obj: Obj, key: string, param: string): boolean | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (typeof v !== "boolean") throw err.invalidType(param, "a boolean", v);
  return v;
}

function readDecimal(obj: Obj, key: string, param: string, min: number, max: number): number | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw err.invalidType(param, "a decimal", v);
  if (v > max) throw err.range(param, "decimal", "above", max, v);
  if (v < min) throw err.range(param, "decimal", "below", min, v);
  return v;
}

function readInteger(obj: Obj, key: string, param: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (typeof v !== "number" || !Number.isInteger(v)) throw err.invalidType(param, "an integer", v);
  if (v > max) throw err.range(param, "integer", "above", max, v);
  if (v < min) throw err.range(param, "integer", "below", min, v);
  return v;
}

function readEnum<T extends string>(obj: Obj, key: string, param: string, values: readonly T[], typeValues: readonly string[] = values): T | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (typeof v !== "string") throw err.invalidType(param, `one of ${quoteList(typeValues, "or")}`, v);
  if (!(values as readonly string[]).includes(v)) throw err.invalidValue(param, v, values);
  return v as T;
}

function readObject(obj: Obj, key: string, param: string, expected = "an object"): Obj | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (!isObject(v)) throw err.invalidType(param, expected, v);
  return v;
}

function rejectUnknown(obj: Obj, known: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw err.unknown(prefix ? `${prefix}.${key}` : key);
  }
}

/** Function and schema names: OpenAI's character set, at most 64 characters. */
const NAME_PATTERN = "^[a-zA-Z0-9_-]+$";
const NAME_RE = /^[a-zA-Z0-9_-]+$/;
const MAX_NAME_LENGTH = 64;

function checkName(name: string, param: string): void {
  if (name.length === 0) throw err.emptyString(param);
  if (name.length > MAX_NAME_LENGTH) throw err.stringTooLong(param, MAX_NAME_LENGTH, name.length);
  if (!NAME_RE.test(name)) throw err.pattern(param, NAME_PATTERN);
}

function readRequiredString(obj: Obj, key: string, param: string): string {
  if (!present(obj, key)) throw err.missing(param);
  const v = obj[key];
  if (typeof v !== "string") throw err.invalidType(param, "a string", v);
  return v;
}

// ---- JSON body ----

const UNPARSABLE_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

/** JSON.parse with OpenAI's answer to a body that is not JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest(UNPARSABLE_JSON, null, null);
  }
}

function requireBodyObject(body: unknown): Obj {
  if (!isObject(body)) {
    throw invalidRequest(`Invalid type for request body: expected an object, but got ${describeType(body)} instead.`, null, "invalid_type");
  }
  return body;
}

function requireModel(body: Obj): string {
  const model = body.model;
  if (model === undefined || model === null || model === "") throw invalidRequest("you must provide a model parameter", null, null);
  if (typeof model !== "string") throw err.invalidType("model", "a string", model);
  return model;
}

// ---- chat ----

const ROLES = ["system", "assistant", "user", "function", "tool", "developer"] as const;
type Role = (typeof ROLES)[number];

/** Every top-level parameter OpenAI's chat endpoint knows; the ones we cannot act on are accepted and ignored. */
const CHAT_PARAMS = new Set([
  "model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
  "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n", "parallel_tool_calls",
  "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
  "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream",
  "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity",
  "web_search_options",
]);

/** Fields any message role may carry; OpenAI reports only keys unknown to every role. */
const MESSAGE_KEYS = new Set(["role", "content", "name", "tool_calls", "function_call", "refusal", "audio", "tool_call_id"]);
const PART_TYPES = ["text", "image_url", "input_audio", "refusal", "audio", "file"] as const;
const PART_KEYS = new Set(["type", "text", "image_url", "input_audio", "file", "refusal", "audio"]);
const PART_TYPES_BY_ROLE: Record<Role, readonly string[]> = {
  system: ["text"],
  developer: ["text"],
  tool: ["text"],
  function: ["text"],
  user: ["text", "image_url", "input_audio", "file"],
  assistant: ["text", "refusal"],
};
/** Part types OpenAI accepts that no model here can take. */
const UNSERVED_PART_TYPES = new Set(["input_audio", "file", "audio"]);
const DETAILS = ["auto", "low", "high"] as const;

type ParsedMessage = {
  role: Role;
  /** undefined: absent; null: sent as null. */
  content: string | ContentPart[] | null | undefined;
  refusal?: string | null;
  name?: string;
  toolCalls?: ToolCall[];
  functionCall?: { name: string; arguments: string };
  toolCallId?: string;
  hasAudio: boolean;
};

function readContentParts(value: unknown[], role: Role, path: string): { parts: ContentPart[]; refusal?: string } {
  const parts: ContentPart[] = [];
  let refusal: string | undefined;
  value.forEach((raw, j) => {
    const pp = `${path}[${j}]`;
    if (!isObject(raw)) throw err.invalidType(pp, "an object", raw);
    if (!present(raw, "type")) throw err.missing(`${pp}.type`);
    const type = raw.type;
    if (typeof type !== "string") throw err.invalidType(`${pp}.type`, `one of ${quoteList(PART_TYPES, "or")}`, type);
    if (!(PART_TYPES as readonly string[]).includes(type)) throw err.invalidValue(`${pp}.type`, type, PART_TYPES);
    rejectUnknown(raw, PART_KEYS, pp);
    if (!PART_TYPES_BY_ROLE[role].includes(type)) throw err.invalidValue(`${pp}.type`, type, PART_TYPES_BY_ROLE[role]);
    if (UNSERVED_PART_TYPES.has(type)) throw err.unsupportedValue(`${pp}.type`, type);
    if (type === "text") {
      parts.push({ type: "text", text: readRequiredString(raw, "text", `${pp}.text`) });
    } else if (type === "refusal") {
      refusal = (refusal ?? "") + readRequiredString(raw, "refusal", `${pp}.refusal`);
    } else {
      if (!present(raw, "image_url")) throw err.missing(`${pp}.image_url`);
      const image = raw.image_url;
      if (!isObject(image)) throw err.invalidType(`${pp}.image_url`, "an object", image);
      rejectUnknown(image, new Set(["url", "detail"]), `${pp}.image_url`);
      const url = readRequiredString(image, "url", `${pp}.image_url.url`);
      const detail = readEnum(image, "detail", `${pp}.image_url.detail`, DETAILS);
      checkImageUrl(url, `${pp}.image_url.url`);
      parts.push({ type: "image_url", image_url: detail ? { url, detail } : { url } });
    }
  });
  return { parts, refusal };
}

function readToolCalls(value: unknown, path: string): ToolCall[] {
  if (!Array.isArray(value)) throw err.invalidType(path, "an array of objects", value);
  if (value.length === 0) throw err.emptyArray(path);
  return value.map((raw, k) => {
    const tp = `${path}[${k}]`;
    if (!isObject(raw)) throw err.invalidType(tp, "an object", raw);
    const id = readRequiredString(raw, "id", `${tp}.id`);
    if (!present(raw, "type")) throw err.missing(`${tp}.type`);
    if (raw.type !== "function") {
      if (typeof raw.type !== "string") throw err.invalidType(`${tp}.type`, "one of 'function' or 'custom'", raw.type);
      if (raw.type === "custom") throw err.unsupportedValue(`${tp}.type`, "custom");
      throw err.invalidValue(`${tp}.type`, raw.type, ["function", "custom"]);
    }
    if (!present(raw, "function")) throw err.missing(`${tp}.function`);
    const fn = raw.function;
    if (!isObject(fn)) throw err.invalidType(`${tp}.function`, "an object", fn);
    const name = readRequiredString(fn, "name", `${tp}.function.name`);
    const args = readRequiredString(fn, "arguments", `${tp}.function.arguments`);
    return { id, type: "function" as const, function: { name, arguments: args } };
  });
}

function readMessage(raw: unknown, i: number): ParsedMessage {
  const path = `messages[${i}]`;
  if (!isObject(raw)) throw err.invalidType(path, "an object", raw);
  if (!present(raw, "role")) throw err.missing(`${path}.role`);
  const role = raw.role;
  if (typeof role !== "string") throw err.invalidType(`${path}.role`, `one of ${quoteList(ROLES, "or")}`, role);
  if (!(ROLES as readonly string[]).includes(role)) throw err.invalidValue(`${path}.role`, role, ROLES);
  rejectUnknown(raw, MESSAGE_KEYS, path);
  const r = role as Role;
  const msg: ParsedMessage = { role: r, content: undefined, hasAudio: false };

  if (raw.content === undefined) {
    if (r === "developer") throw err.missing(`${path}.content`);
  } else if (raw.content === null) {
    if (r === "developer") throw err.invalidType(`${path}.content`, "one of a string or array of objects", null);
    msg.content = null;
  } else if (typeof raw.content === "string") {
    msg.content = raw.content;
  } else if (Array.isArray(raw.content)) {
    const { parts, refusal } = readContentParts(raw.content, r, `${path}.content`);
    msg.content = parts;
    if (refusal !== undefined) msg.refusal = refusal;
  } else {
    throw err.invalidType(`${path}.content`, "one of a string or array of objects", raw.content);
  }

  const name = readString(raw, "name", `${path}.name`);
  if (name !== undefined) {
    if (!NAME_RE.test(name)) throw err.pattern(`${path}.name`, NAME_PATTERN);
    msg.name = name;
  } else if (r === "function") {
    throw err.missing(`${path}.name`);
  }

  if (r === "assistant") {
    if (present(raw, "tool_calls")) msg.toolCalls = readToolCalls(raw.tool_calls, `${path}.tool_calls`);
    const fc = readObject(raw, "function_call", `${path}.function_call`);
    if (fc) {
      msg.functionCall = {
        name: readRequiredString(fc, "name", `${path}.function_call.name`),
        arguments: readRequiredString(fc, "arguments", `${path}.function_call.arguments`),
      };
    }
    const refusal = readString(raw, "refusal", `${path}.refusal`);
    if (refusal !== undefined) msg.refusal = refusal;
    if (readObject(raw, "audio", `${path}.audio`)) msg.hasAudio = true;
  }
  if (r === "tool") msg.toolCallId = readRequiredString(raw, "tool_call_id", `${path}.tool_call_id`);
  return msg;
}

function readFunctionDefinition(fn: Obj, path: string): FunctionTool["function"] {
  const name = readRequiredString(fn, "name", `${path}.name`);
  checkName(name, `${path}.name`);
  const out: FunctionTool["function"] = { name };
  const description = readString(fn, "description", `${path}.description`);
  if (description !== undefined) out.description = description;
  const parameters = readObject(fn, "parameters", `${path}.parameters`);
  if (parameters !== undefined) out.parameters = parameters;
  if (present(fn, "strict")) out.strict = readBoolean(fn, "strict", `${path}.strict`);
  return out;
}

function readTools(value: unknown): FunctionTool[] {
  if (!Array.isArray(value)) throw err.invalidType("tools", "an array of objects", value);
  return value.map((raw, i) => {
    const path = `tools[${i}]`;
    if (!isObject(raw)) throw err.invalidType(path, "an object", raw);
    if (!present(raw, "type")) throw err.missing(`${path}.type`);
    if (typeof raw.type !== "string") throw err.invalidType(`${path}.type`, "one of 'function' or 'custom'", raw.type);
    if (raw.type === "custom") throw err.unsupportedValue(`${path}.type`, "custom");
    if (raw.type !== "function") throw err.invalidValue(`${path}.type`, raw.type, ["function", "custom"]);
    rejectUnknown(raw, new Set(["type", "function"]), path);
    if (!present(raw, "function")) throw err.missing(`${path}.function`);
    if (!isObject(raw.function)) throw err.invalidType(`${path}.function`, "an object", raw.function);
    rejectUnknown(raw.function, new Set(["name", "description", "parameters", "strict"]), `${path}.function`);
    return { type: "function" as const, function: readFunctionDefinition(raw.function, `${path}.function`) };
  });
}

function readFunctions(value: unknown): FunctionTool[] {
  if (!Array.isArray(value)) throw err.invalidType("functions", "an array of function definitions", value);
  return value.map((raw, i) => {
    const path = `functions[${i}]`;
    if (!isObject(raw)) throw err.invalidType(path, "an object", raw);
    rejectUnknown(raw, new Set(["name", "description", "parameters"]), path);
    return { type: "function" as const, function: readFunctionDefinition(raw, path) };
  });
}

function readToolChoice(value: unknown): ToolChoice {
  if (typeof value === "string") {
    if (value === "none" || value === "auto" || value === "required") return value;
    throw err.invalidValue("tool_choice", value, ["none", "auto", "required"]);
  }
  if (!isObject(value)) throw err.invalidType("tool_choice", "one of one of 'none', 'auto', or 'required' or object", value);
  if (value.type === "allowed_tools" || value.type === "custom") throw err.unsupportedValue("tool_choice.type", String(value.type));
  if (!present(value, "function")) throw err.missing("tool_choice.function");
  const fn = value.function;
  if (!isObject(fn)) throw err.invalidType("tool_choice.function", "an object", fn);
  const name = readRequiredString(fn, "name", "tool_choice.function.name");
  return { type: "function", function: { name } };
}

function readFunctionCall(value: unknown): ToolChoice {
  if (typeof value === "string") {
    if (value === "none" || value === "auto") return value;
    throw err.invalidValue("function_call", value, ["none", "auto"]);
  }
  if (!isObject(value)) throw err.invalidType("function_call", "one of one of 'none' or 'auto' or object", value);
  const name = readRequiredString(value, "name", "function_call.name");
  return { type: "function", function: { name } };
}

const RESPONSE_FORMAT_TYPES = ["json_object", "json_schema", "text"] as const;

function readResponseFormat(rf: Obj): ResponseFormat {
  if (!present(rf, "type")) throw err.missing("response_format.type");
  const type = readEnum(rf, "type", "response_format.type", RESPONSE_FORMAT_TYPES) as (typeof RESPONSE_FORMAT_TYPES)[number];
  if (type === "text") return { type: "text" };
  if (type === "json_object") return { type: "json_object" };
  if (!present(rf, "json_schema")) throw err.missing("response_format.json_schema");
  const js = rf.json_schema;
  if (!isObject(js)) throw err.invalidType("response_format.json_schema", "an object", js);
  rejectUnknown(js, new Set(["name", "description", "schema", "strict"]), "response_format.json_schema");
  const name = readRequiredString(js, "name", "response_format.json_schema.name");
  checkName(name, "response_format.json_schema.name");
  const out: Extract<ResponseFormat, { type: "json_schema" }>["json_schema"] = { name };
  const description = readString(js, "description", "response_format.json_schema.description");
  if (description !== undefined) out.description = description;
  const schema = readObject(js, "schema", "response_format.json_schema.schema");
  if (schema !== undefined) out.schema = schema;
  if (present(js, "strict")) out.strict = readBoolean(js, "strict", "response_format.json_schema.strict");
  return { type: "json_schema", json_schema: out };
}

const MAX_STOP = 4;

function readStop(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) throw err.invalidType("stop", "one of a string or array of strings", value);
  if (value.length > MAX_STOP) throw err.arrayTooLong("stop", MAX_STOP, value.length);
  return value.map((s, i) => {
    if (typeof s !== "string") throw err.invalidType(`stop[${i}]`, "a string", s);
    return s;
  });
}

const MAX_LOGIT_BIAS = 1024;

function readLogitBias(value: unknown): Record<string, number> {
  if (!isObject(value)) throw err.invalidType("logit_bias", "an object", value);
  const keys = Object.keys(value);
  if (keys.length > MAX_LOGIT_BIAS) {
    throw invalidRequest(
      `Invalid 'logit_bias': too many properties. Expected an object with at most ${MAX_LOGIT_BIAS} properties, but got an object with ${keys.length} properties instead.`,
      "logit_bias",
      "object_above_max_properties",
    );
  }
  const out: Record<string, number> = {};
  for (const key of keys) {
    if (!/^\d+$/.test(key)) throw invalidRequest(`Invalid key in 'logit_bias': ${key}. You should only be submitting non-negative integers.`, "logit_bias", null);
    out[key] = readDecimal(value, key, `logit_bias.${key}`, -100, 100) ?? 0;
  }
  return out;
}

function readMetadata(value: unknown): void {
  if (!isObject(value)) throw err.invalidType("metadata", "a metadata object", value);
  const keys = Object.keys(value);
  if (keys.length > 16) {
    throw invalidRequest(
      `Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with ${keys.length} properties instead.`,
      "metadata",
      "object_above_max_properties",
    );
  }
  for (const key of keys) {
    if (key.length > 64) {
      throw invalidRequest(
        `Invalid property name in 'metadata': '${key.slice(0, 3)}...${key.slice(-3)}' is too long. Expected a string with maximum length 64, but got a string with length ${key.length} instead.`,
        `metadata.${key}`,
        "property_name_above_max_length",
      );
    }
    const v = value[key];
    if (typeof v !== "string") throw err.invalidType(`metadata.${key}`, "a string", v);
    if (v.length > 512) throw err.stringTooLong(`metadata.${key}`, 512, v.length);
  }
}

/** The rules between messages, checked after every field has the right shape. */
function checkConversation(messages: ParsedMessage[]): void {
  const nullContent = (i: number) => err.semantic("Invalid value for 'content': expected a string, got null.", `messages.[${i}].content`);
  let pending: { index: number; ids: Set<string>; all: Set<string> } | null = null;
  const unanswered = (p: { index: number; ids: Set<string> }) =>
    err.semantic(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...p.ids].join(", ")}`,
      `messages.[${p.index}].role`,
    );

  messages.forEach((m, i) => {
    if (m.role !== "tool" && pending) {
      if (pending.ids.size > 0) throw unanswered(pending);
      pending = null;
    }
    const hasContent = m.content !== undefined && m.content !== null;
    if (!hasContent) {
      const substitute = m.role === "assistant" && (m.toolCalls !== undefined || m.functionCall !== undefined || typeof m.refusal === "string" || m.hasAudio);
      if (!substitute) throw nullContent(i);
    }
    if (m.role === "tool") {
      const group = pending as { index: number; ids: Set<string>; all: Set<string> } | null;
      if (!group) {
        throw err.semantic("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${i}].role`);
      }
      const id = m.toolCallId ?? "";
      if (!group.all.has(id)) {
        throw err.semantic(`Invalid parameter: 'tool_call_id' of '${id}' not found in 'tool_calls' of previous message.`, `messages.[${i}].tool_call_id`);
      }
      group.ids.delete(id);
    }
    if (m.role === "assistant" && m.toolCalls) {
      const ids = m.toolCalls.map((c) => c.id);
      pending = { index: i, ids: new Set(ids), all: new Set(ids) };
    }
  });
  const last = pending as { index: number; ids: Set<string> } | null;
  if (last && last.ids.size > 0) throw unanswered(last);
}

/** Legacy function calling becomes tool calling: function_call → tool_calls, role "function" → "tool". */
function normalizeMessages(parsed: ParsedMessage[]): ChatMessage[] {
  const legacyIds = new Map<string, string>();
  return parsed.map((m, i): ChatMessage => {
    const content = m.content ?? null;
    switch (m.role) {
      case "system":
      case "developer":
      case "user":
        return { role: m.role, content: content ?? "", ...(m.name !== undefined ? { name: m.name } : {}) };
      case "tool":
        return { role: "tool", content: content ?? "", tool_call_id: m.toolCallId ?? "" };
      case "function": {
        // Answers the latest legacy call of the same name; a result without a call still gets a stable id.
        const id = legacyIds.get(m.name ?? "") ?? `call_fn_${i}`;
        legacyIds.delete(m.name ?? "");
        return { role: "tool", content: content ?? "", tool_call_id: id };
      }
      case "assistant": {
        const toolCalls = [...(m.toolCalls ?? [])];
        if (m.functionCall) {
          const id = `call_fn_${i}`;
          legacyIds.set(m.functionCall.name, id);
          toolCalls.push({ id, type: "function", function: { ...m.functionCall } });
        }
        const parts = Array.isArray(content) && content.length === 0 && m.refusal !== undefined ? null : content;
        return {
          role: "assistant",
          content: parts,
          ...(m.name !== undefined ? { name: m.name } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          ...(m.refusal !== undefined ? { refusal: m.refusal } : {}),
        };
      }
    }
  });
}

export type ParsedChatRequest = { model: string; stream: boolean; includeUsage: boolean; request: ChatRequest };

/** Validates a /v1/chat/completions body exactly as OpenAI does and normalizes it for providers. */
export function parseChatRequest(input: unknown): ParsedChatRequest {
  const body = requireBodyObject(input);
  const model = requireModel(body);
  if (!present(body, "messages")) throw err.missing("messages");
  rejectUnknown(body, CHAT_PARAMS, "");

  // Schema pass, in OpenAI's reporting order.
  if (!Array.isArray(body.messages)) throw err.invalidType("messages", "an array of objects", body.messages);
  if (body.messages.length === 0) throw err.emptyArray("messages");
  const messages = body.messages.map(readMessage);
  const functions = present(body, "functions") ? readFunctions(body.functions) : undefined;
  const functionCall = present(body, "function_call") ? readFunctionCall(body.function_call) : undefined;
  const tools = present(body, "tools") ? readTools(body.tools) : undefined;
  const toolChoice = present(body, "tool_choice") ? readToolChoice(body.tool_choice) : undefined;
  const parallelToolCalls = readBoolean(body, "parallel_tool_calls", "parallel_tool_calls");
  const maxCompletionTokens = readInteger(body, "max_completion_tokens", "max_completion_tokens", 1);
  const maxTokens = readInteger(body, "max_tokens", "max_tokens", 1);
  const n = readInteger(body, "n", "n", 1, 128);
  const temperature = readDecimal(body, "temperature", "temperature", 0, 2);
  const topP = readDecimal(body, "top_p", "top_p", 0, 1);
  const presencePenalty = readDecimal(body, "presence_penalty", "presence_penalty", -2, 2);
  const frequencyPenalty = readDecimal(body, "frequency_penalty", "frequency_penalty", -2, 2);
  const logitBias = present(body, "logit_bias") ? readLogitBias(body.logit_bias) : undefined;
  const logprobs = readBoolean(body, "logprobs", "logprobs");
  const topLogprobs = readInteger(body, "top_logprobs", "top_logprobs", 0, 20);
  const user = readString(body, "user", "user");
  const seed = readInteger(body, "seed", "seed", Number.MIN_SAFE_INTEGER);
  readString(body, "safety_identifier", "safety_identifier");
  readString(body, "prompt_cache_key", "prompt_cache_key");
  if (present(body, "prompt_cache_retention")) {
    const v = body.prompt_cache_retention;
    if (typeof v !== "string") throw err.invalidType("prompt_cache_retention", "one of 'in_memory' or '24h'", v);
    if (v !== "in_memory" && v !== "24h") throw invalidRequest("Invalid prompt_cache_retention argument", "prompt_cache_retention", null);
  }
  readEnum(body, "service_tier", "service_tier", ["auto", "default", "flex", "scale", "priority", "fast"], ["auto", "default", "fast", "flex", "priority"]);
  const stop = present(body, "stop") ? readStop(body.stop) : [];
  const stream = readBoolean(body, "stream", "stream") ?? false;
  const streamOptions = readObject(body, "stream_options", "stream_options");
  if (streamOptions) {
    rejectUnknown(streamOptions, new Set(["include_usage", "include_obfuscation"]), "stream_options");
    readBoolean(streamOptions, "include_usage", "stream_options.include_usage");
    readBoolean(streamOptions, "include_obfuscation", "stream_options.include_obfuscation");
  }
  readBoolean(body, "store", "store");
  if (present(body, "metadata")) readMetadata(body.metadata);
  readObject(body, "prediction", "prediction");
  const responseFormatRaw = readObject(body, "response_format", "response_format");
  const responseFormat = responseFormatRaw ? readResponseFormat(responseFormatRaw) : { type: "text" as const };
  readEnum(body, "reasoning_effort", "reasoning_effort", ["none", "minimal", "low", "medium", "high", "xhigh"]);
  if (present(body, "modalities")) {
    if (!Array.isArray(body.modalities)) throw err.invalidType("modalities", "an array of strings", body.modalities);
    body.modalities.forEach((m, i) => {
      if (typeof m !== "string") throw err.invalidType(`modalities[${i}]`, "one of 'text' or 'audio'", m);
      if (m !== "text" && m !== "audio") throw err.invalidValue(`modalities[${i}]`, m, ["text", "audio"]);
    });
  }
  readObject(body, "audio", "audio");
  readObject(body, "web_search_options", "web_search_options");
  readObject(body, "moderation", "moderation");
  readObject(body, "prompt_cache_options", "prompt_cache_options");
  readEnum(body, "verbosity", "verbosity", ["low", "medium", "high"]);

  // Semantic pass.
  checkConversation(messages);
  if (functions && tools) {
    throw invalidRequest("Mutually exclusive parameters: Ensure you are only providing one of: 'functions' or 'tools'.", "functions", "mutually_exclusive_parameters");
  }
  const definedNames = new Set((tools ?? functions ?? []).map((t) => t.function.name));
  const checkNamed = (choice: ToolChoice | undefined) => {
    if (choice && typeof choice === "object" && !definedNames.has(choice.function.name)) {
      throw err.semantic(`Invalid value for 'function_call': no function named '${choice.function.name}' was specified in the 'functions' parameter.`, "function_call");
    }
  };
  if (toolChoice !== undefined && toolChoice !== "none" && !tools) {
    throw err.semantic("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice");
  }
  if (functionCall !== undefined && functionCall !== "none" && !functions) {
    throw err.semantic("Invalid value for 'function_call': 'function_call' is only allowed when 'functions' are specified.", "function_call");
  }
  checkNamed(toolChoice);
  checkNamed(functionCall);
  if (parallelToolCalls !== undefined && !tools) {
    throw err.semantic("Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.", "parallel_tool_calls");
  }
  if (streamOptions && !stream) throw err.semantic("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
  if (topLogprobs !== undefined && logprobs !== true) throw err.semantic("The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled.", "top_logprobs");

  const allTools = tools ?? functions ?? [];
  const request: ChatRequest = {
    messages: normalizeMessages(messages),
    maxTokens: maxCompletionTokens ?? maxTokens ?? null,
    temperature: temperature ?? 1,
    topP: topP ?? 1,
    n: n ?? 1,
    stop,
    presencePenalty: presencePenalty ?? 0,
    frequencyPenalty: frequencyPenalty ?? 0,
    seed: seed ?? null,
    logitBias: logitBias ?? null,
    tools: allTools,
    toolChoice: toolChoice ?? functionCall ?? (allTools.length ? "auto" : "none"),
    parallelToolCalls: parallelToolCalls ?? true,
    responseFormat,
    user: user ?? null,
    raw: body,
  };
  return { model, stream, includeUsage: stream && streamOptions?.include_usage === true, request };
}

// ---- embeddings ----

const EMBEDDING_PARAMS = new Set(["model", "input", "dimensions", "encoding_format", "user"]);
export const MAX_EMBEDDING_INPUTS = 2048;

/** OpenAI's answer to any malformed or empty `input`. */
const invalidInput = () => invalidRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", null, null);

const isTokenArray = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === "number" && Number.isInteger(t) && t >= 0);

function readEmbeddingInputs(input: unknown): (string | number[])[] {
  if (typeof input === "string") {
    if (input.length === 0) throw invalidInput();
    return [input];
  }
  if (!Array.isArray(input) || input.length === 0) throw invalidInput();
  if (input.length > MAX_EMBEDDING_INPUTS) throw err.arrayTooLong("input", MAX_EMBEDDING_INPUTS, input.length);
  if (input.every((v) => typeof v === "string")) {
    if (input.some((s) => s.length === 0)) throw invalidInput();
    return input as string[];
  }
  if (input.every((v) => typeof v === "number")) {
    if (!isTokenArray(input)) throw invalidInput();
    return [input];
  }
  if (input.every(isTokenArray)) return input as number[][];
  throw invalidInput();
}

export type ParsedEmbeddingRequest = { model: string; encodingFormat: "float" | "base64"; request: EmbeddingRequest };

/** Validates a /v1/embeddings body as OpenAI does. */
export function parseEmbeddingRequest(input: unknown): ParsedEmbeddingRequest {
  const body = requireBodyObject(input);
  const model = requireModel(body);
  if (!present(body, "input")) throw err.missing("input");
  rejectUnknown(body, EMBEDDING_PARAMS, "");
  const inputs = readEmbeddingInputs(body.input);
  const dimensions = readInteger(body, "dimensions", "dimensions", 1);
  const encodingFormat = readEnum(body, "encoding_format", "encoding_format", ["float", "base64"] as const) ?? "float";
  readString(body, "user", "user");
  return { model, encodingFormat, request: { inputs, dimensions: dimensions ?? null, raw: body } };
}
