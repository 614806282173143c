import { MAX_STOP_SEQUENCES, NAME_RE, parsePlaygroundConfig, type PlaygroundConfig, type PlaygroundMessage } from "@/lib/playground/config";

// A stored Chat Completions request (the JSON a client sent to /v1/chat/completions or the
// playground) as the playground's starting setup. Pure. Stored bodies were valid when they
// were sent, but they may predate today's rules or use what the playground does not offer
// (n, logprobs, audio…): those parts are left out and listed in `notes`, never an error.

export type StoredRequestConversion = { ok: true; config: PlaygroundConfig; notes: string[] } | { ok: false; reason: string };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Parameters the playground has no control for; named in the notes when a request set them. */
const NOT_CARRIED = ["n", "logprobs", "top_logprobs", "logit_bias", "audio", "modalities", "prediction", "reasoning_effort", "service_tier", "store", "metadata", "user", "web_search_options", "verbosity"];

/** Text of a message's content: a string, or the text parts of a content array. */
function textOf(content: unknown): { text: string; images: string[]; other: number } {
  if (typeof content === "string") return { text: content, images: [], other: 0 };
  if (!Array.isArray(content)) return { text: "", images: [], other: 0 };
  const texts: string[] = [];
  const images: string[] = [];
  let other = 0;
  for (const part of content) {
    if (!isObject(part)) continue;
    if (part.type === "text" && typeof part.text === "string") texts.push(part.text);
    else if (part.type === "image_url") {
      const url = isObject(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof url === "string" && url) images.push(url);
      else other++;
    } else other++;
  }
  return { text: texts.join("\n\n"), images, other };
}

const jsonText = (v: unknown) => JSON.stringify(v, null, 2);

export function storedRequestToPlaygroundConfig(body: unknown): StoredRequestConversion {
  if (!isObject(body)) return { ok: false, reason: "The stored request is not a JSON object." };
  if (!Array.isArray(body.messages)) return { ok: false, reason: "The stored request has no messages." };
  const notes: string[] = [];

  // ---- messages: system/developer messages become the system message ----
  const system: string[] = [];
  const messages: PlaygroundMessage[] = [];
  let skippedParts = 0;
  let lateSystem = false;
  let callSeq = 0;
  for (const raw of body.messages) {
    if (!isObject(raw)) continue;
    const role = raw.role;
    if (role === "system" || role === "developer") {
      if (messages.length) lateSystem = true;
      const t = textOf(raw.content);
      if (t.text) system.push(t.text);
      continue;
    }
    if (role === "user") {
      const t = textOf(raw.content);
      skippedParts += t.other;
      messages.push({ role: "user", content: t.text, ...(t.images.length ? { images: t.images } : {}) });
      continue;
    }
    if (role === "assistant") {
      const t = textOf(raw.content);
      skippedParts += t.other;
      const calls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
      if (Array.isArray(raw.tool_calls)) {
        for (const c of raw.tool_calls) {
          if (!isObject(c) || !isObject(c.function)) continue;
          calls.push({
            id: typeof c.id === "string" && c.id ? c.id : `call_${++callSeq}`,
            type: "function",
            function: { name: String(c.function.name ?? ""), arguments: typeof c.function.arguments === "string" ? c.function.arguments : jsonText(c.function.arguments ?? {}) },
          });
        }
      } else if (isObject(raw.function_call)) {
        // Legacy function calling: the call becomes a tool call, and the "function" reply below a tool message.
        calls.push({
          id: `call_${++callSeq}`,
          type: "function",
          function: { name: String(raw.function_call.name ?? ""), arguments: String(raw.function_call.arguments ?? "") },
        });
      }
      messages.push({ role: "assistant", content: calls.length && !t.text ? null : t.text, ...(calls.length ? { tool_calls: calls } : {}) });
      continue;
    }
    if (role === "tool" && typeof raw.tool_call_id === "string" && raw.tool_call_id) {
      messages.push({ role: "tool", tool_call_id: raw.tool_call_id, content: textOf(raw.content).text });
      continue;
    }
    if (role === "function") {
      // Answers the legacy function call just before it.
      const prev = [...messages].reverse().find((m) => m.role === "assistant" && m.tool_calls?.length);
      const call = prev && prev.role === "assistant" ? prev.tool_calls?.at(-1) : undefined;
      if (call) {
        messages.push({ role: "tool", tool_call_id: call.id, content: textOf(raw.content).text });
        continue;
      }
    }
    notes.push(`A message with role “${String(role)}” was left out.`);
  }
  if (lateSystem) notes.push("System messages between other messages were moved into the system message.");
  if (skippedParts) notes.push(`${skippedParts} content part${skippedParts === 1 ? "" : "s"} other than text and images (audio, files) ${skippedParts === 1 ? "was" : "were"} left out.`);

  // ---- parameters: out-of-range values fall back to the playground's defaults ----
  const ranged = (key: string, min: number, max: number, fallback: number) => {
    const v = body[key];
    if (v === undefined || v === null) return fallback;
    if (isNum(v) && v >= min && v <= max) return v;
    notes.push(`“${key}” (${JSON.stringify(v)}) is outside what the playground allows, so its default is used.`);
    return fallback;
  };
  const maxTokensRaw = body.max_completion_tokens ?? body.max_tokens;
  const maxCompletionTokens = isNum(maxTokensRaw) && Number.isInteger(maxTokensRaw) && maxTokensRaw >= 1 ? maxTokensRaw : null;
  const seed = isNum(body.seed) && Number.isInteger(body.seed) ? body.seed : null;
  let stop: string[] = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === "string") : [];
  stop = stop.filter((s) => s.length >= 1 && s.length <= 1000);
  if (stop.length > MAX_STOP_SEQUENCES) {
    notes.push(`Only the first ${MAX_STOP_SEQUENCES} stop sequences were kept.`);
    stop = stop.slice(0, MAX_STOP_SEQUENCES);
  }
  const parameters = {
    temperature: ranged("temperature", 0, 2, 1),
    topP: ranged("top_p", 0, 1, 1),
    maxCompletionTokens,
    frequencyPenalty: ranged("frequency_penalty", -2, 2, 0),
    presencePenalty: ranged("presence_penalty", -2, 2, 0),
    seed,
    stop,
  };

  // ---- response format ----
  let responseFormat: PlaygroundConfig["responseFormat"] = { type: "text" };
  const rf = body.response_format;
  if (isObject(rf)) {
    if (rf.type === "json_object") responseFormat = { type: "json_object" };
    else if (rf.type === "json_schema" && isObject(rf.json_schema)) responseFormat = { type: "json_schema", jsonSchema: jsonText(rf.json_schema) };
  }

  // ---- tools (and legacy functions) ----
  const definitions: Obj[] = [];
  if (Array.isArray(body.tools)) {
    for (const t of body.tools) {
      if (isObject(t) && t.type === "function" && isObject(t.function)) definitions.push(t.function);
      else notes.push("A tool that is not a function was left out.");
    }
  } else if (Array.isArray(body.functions)) {
    for (const f of body.functions) if (isObject(f)) definitions.push(f);
  }
  const tools = definitions.map((f) => ({
    name: String(f.name ?? "").slice(0, 64),
    description: typeof f.description === "string" ? f.description : "",
    parameters: f.parameters === undefined ? "" : jsonText(f.parameters),
    ...(f.strict === true ? { strict: true } : {}),
  }));
  let toolChoice: PlaygroundConfig["toolChoice"] = "auto";
  const choice = body.tool_choice ?? body.function_call;
  if (choice === "none" || choice === "auto" || choice === "required") toolChoice = choice;
  else if (isObject(choice)) {
    const name = isObject(choice.function) ? choice.function.name : choice.name;
    if (typeof name === "string" && NAME_RE.test(name)) toolChoice = { function: name };
  }
  const parallelToolCalls = body.parallel_tool_calls !== false;

  const carried = NOT_CARRIED.filter((k) => body[k] !== undefined && body[k] !== null);
  if (carried.length) notes.push(`The playground has no setting for ${carried.map((k) => `“${k}”`).join(", ")}: ${carried.length === 1 ? "it was" : "they were"} left out.`);

  const config = parsePlaygroundConfig({
    version: 1,
    model: typeof body.model === "string" ? body.model : "",
    system: system.join("\n\n"),
    messages,
    parameters,
    responseFormat,
    tools,
    toolChoice,
    parallelToolCalls,
  });
  if (!config) return { ok: false, reason: "The stored request is larger or more complex than the playground can show (too many messages, tools or images)." };
  return { ok: true, config, notes };
}
