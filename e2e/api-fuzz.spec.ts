import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_API_KEY } from "./support";

// A seeded random fuzz of the /v1 surface: malformed JSON, random JSON values, near-valid chat
// and embedding bodies with one field mutated, odd headers, wrong methods and random paths.
// Whatever arrives, the API must answer (no hang), never with a 5xx (except a 503 with
// retry-after when the local model's queue is full), always with an x-request-id, and with
// OpenAI's {"error":{"message","type","param","code"}} on every non-2xx; and the server must
// still be healthy afterwards. The seed is printed; FUZZ_SEED=<seed> replays the same requests
// in the same order (FUZZ_COUNT changes how many).

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
const COUNT = Number(process.env.FUZZ_COUNT ?? 400);
const MODEL = "stories260K";
// Every request gets this long; a model call that may be valid is kept to a few tokens.
const REQUEST_TIMEOUT_MS = 20_000;

// ---- seeded randomness (mulberry32: small, fast, and the same on every platform) ----

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Rng = ReturnType<typeof prng>;

// ---- JSON with the things JSON.stringify cannot write ----

/** Written verbatim into the JSON text: NaN, 1e999, duplicate keys, trailing garbage... */
class Raw {
  constructor(readonly text: string) {}
}
/** An object whose key list may repeat keys (written in order, duplicates included). */
class Pairs {
  constructor(readonly entries: [string, unknown][]) {}
}

function encode(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Pairs) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${encode(x)}`).join(",")}}`;
  if (Array.isArray(v)) return `[${v.map(encode).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${encode(x)}`).join(",")}}`;
  if (v === undefined) return "null";
  return JSON.stringify(v);
}

// ---- value pools ----

const STRINGS = [
  "",
  " ",
  "a",
  MODEL,
  `${MODEL}\u0000`,
  "\u0000",
  "nul\u0000in the middle",
  "\ud800",
  "\udfff lone surrogates \ud800",
  "emoji 🐈‍⬛👩🏽‍🚀",
  "RTL \u202eevil\u202c text",
  "زمان یک گربه بود",
  "猫の話をしてください",
  "<script>alert(1)</script>",
  "'; DROP TABLE \"ApiKey\"; --",
  "%s%s%s%n",
  "{{7*7}}${7*7}",
  "__proto__",
  "constructor",
  "\r\n\r\nHTTP/1.1 200 OK",
  "[DONE]",
  "data: [DONE]\n\n",
  "<|endoftext|><|im_start|>system",
  "### Human: ### Assistant:",
  "\\u0000\\",
  "𝕳𝖊𝖑𝖑𝖔",
];

function randomString(r: Rng): string {
  switch (r.int(0, 5)) {
    case 0:
      return "x".repeat(r.pick([1_000, 10_000, 100_000, 300_000]));
    case 1:
      return Array.from({ length: r.int(1, 64) }, () => String.fromCharCode(r.int(0, 0xffff))).join("");
    case 2:
      return "🐈".repeat(r.int(1, 5_000));
    default:
      return r.pick(STRINGS);
  }
}

const NUMBERS: unknown[] = [
  0, -0, 1, -1, 2, 0.5, -0.5, 3.14159, 7, 128, 129, 2048, 4096, 1e9, -1e9, 2 ** 31, 2 ** 32, -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER, 1e308, -1e308, 5e-324,
  new Raw("NaN"), new Raw("Infinity"), new Raw("-Infinity"), new Raw("1e999"), new Raw("-1e999"), new Raw("1.0e+2"),
  new Raw("1E400"), new Raw("0.0000000000000000000000000001"), new Raw("123456789012345678901234567890"),
];

function randomNumber(r: Rng): unknown {
  return r.pick(NUMBERS);
}

/**
 * Arrays, objects or schemas nested `depth` levels deep (deep enough to break recursive code),
 * written as text: building and encoding them recursively would overflow this process instead.
 */
function deeplyNested(r: Rng, depth: number): Raw {
  const leaf = r.pick(['"leaf"', "1", "null", "{}"]);
  switch (r.int(0, 2)) {
    case 0:
      return new Raw("[".repeat(depth) + leaf + "]".repeat(depth));
    case 1:
      return new Raw('{"a":'.repeat(depth) + leaf + "}".repeat(depth));
    default:
      return new Raw('{"type":"object","properties":{"p":'.repeat(depth) + leaf + "}}".repeat(depth));
  }
}

function randomValue(r: Rng, depth = 0): unknown {
  const kinds = depth > 3 ? 5 : 8;
  switch (r.int(0, kinds)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
    case 3:
      return randomNumber(r);
    case 4:
    case 5:
      return randomString(r);
    case 6:
      return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
    case 7:
      return Object.fromEntries(Array.from({ length: r.int(0, 4) }, () => [r.pick(["model", "messages", "role", "content", "type", "input", "__proto__", "x", ""]), randomValue(r, depth + 1)]));
    default:
      return deeplyNested(r, r.pick([10, 100, 1_000, 5_000]));
  }
}

// ---- near-valid bodies ----

type Json = Record<string, unknown>;

function validChat(r: Rng): Json {
  const body: Json = {
    model: MODEL,
    messages: [{ role: "user", content: r.pick(["Once upon a time", "The cat", "Hi"]) }],
    max_tokens: r.int(1, 6),
    temperature: r.pick([0, 0.7, 1]),
  };
  if (r.chance(0.3)) body.messages = [{ role: "system", content: "Be brief." }, ...(body.messages as unknown[])];
  if (r.chance(0.3)) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  if (r.chance(0.2)) body.seed = r.int(0, 1000);
  if (r.chance(0.15)) body.stop = ["\n"];
  if (r.chance(0.15)) {
    body.tools = [{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    body.tool_choice = r.pick(["auto", "none", "required", { type: "function", function: { name: "get_weather" } }]);
  } else if (r.chance(0.15)) {
    body.response_format = r.pick([
      { type: "json_object" },
      { type: "json_schema", json_schema: { name: "answer", schema: { type: "object", properties: { a: { type: "string" } }, required: ["a"] } } },
    ]);
  }
  if (r.chance(0.1)) body.n = r.int(1, 3);
  if (r.chance(0.1)) body.logit_bias = { "2": -100 };
  return body;
}

function validEmbedding(r: Rng): Json {
  const body: Json = { model: MODEL, input: r.pick<unknown>(["a cat", ["a cat", "a dog"], [1, 2, 3], [[1, 2], [3, 4]]]) };
  if (r.chance(0.2)) body.dimensions = r.int(1, 64);
  if (r.chance(0.2)) body.encoding_format = r.pick(["float", "base64"]);
  return body;
}

/** Paths into a body where a mutation lands: top-level keys and the nested ones that matter. */
function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (prefix.length >= 6) return out;
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === "object" && !(v instanceof Raw) && !(v instanceof Pairs)) {
    for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  }
  return out;
}

function setAt(root: Json, path: (string | number)[], value: unknown | typeof DELETE) {
  let o = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) o = o[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === DELETE) {
    if (Array.isArray(o) && typeof last === "number") o.splice(last, 1);
    else delete o[last];
  } else o[last] = value;
}
const DELETE = Symbol("delete");

/** One mutation of a valid body; returns the JSON text to send and what was done. */
function mutate(r: Rng, body: Json): { text: string; note: string } {
  const paths = pathsOf(body);
  const path = r.pick(paths);
  const where = path.join(".");
  // Schemas are compiled recursively (grammars, prompt text): a deep one gets extra attention.
  const schemaPath = body.tools ? ["tools", 0, "function", "parameters"] : body.response_format && (body.response_format as Json).json_schema ? ["response_format", "json_schema", "schema"] : null;
  if (schemaPath && r.chance(0.25)) {
    const depth = r.pick([100, 1_000, 3_000, 10_000]);
    setAt(body, schemaPath, new Raw('{"type":"object","properties":{"p":'.repeat(depth) + '{"type":"string"}' + "}}".repeat(depth)));
    return { text: encode(body), note: `${schemaPath.join(".")} = schema nested ${depth} deep` };
  }
  switch (r.int(0, 11)) {
    case 0:
      setAt(body, path, DELETE);
      return { text: encode(body), note: `deleted ${where}` };
    case 1: {
      const v = randomValue(r);
      setAt(body, path, v);
      return { text: encode(body), note: `${where} = random value` };
    }
    case 2:
      setAt(body, path, randomNumber(r));
      return { text: encode(body), note: `${where} = odd number` };
    case 3:
      setAt(body, path, randomString(r));
      return { text: encode(body), note: `${where} = odd string` };
    case 4:
      setAt(body, path, [JSON.parse(JSON.stringify(body))]);
      return { text: encode(body), note: `${where} = array holding a copy of the body` };
    case 5:
      setAt(body, path, r.pick<unknown>([[], [{}], [null], {}, { 0: "a" }, [[[]]], [1, "a", null, {}]]));
      return { text: encode(body), note: `${where} = array/object where something else belongs` };
    case 6:
      setAt(body, path, deeplyNested(r, r.pick([50, 500, 3_000, 10_000])));
      return { text: encode(body), note: `${where} = deeply nested garbage` };
    case 7: {
      // The same key twice: JSON.parse keeps the last, which must be validated like any other.
      const key = r.pick(Object.keys(body));
      const entries: [string, unknown][] = Object.entries(body);
      entries.push([key, r.chance(0.5) ? randomValue(r) : body[key]]);
      return { text: encode(new Pairs(entries)), note: `duplicate key ${key}` };
    }
    case 8:
      body[r.pick(["foo", "__proto__", "constructor", "Model", "max_tokens ", "stream\u0000", "🐈"])] = randomValue(r);
      return { text: encode(body), note: "unknown top-level key" };
    case 9: {
      // Valid JSON around the body, but not the body itself.
      const text = encode(body);
      return { text: r.pick([`[${text}]`, `"${text.replace(/"/g, '\\"')}"`, `${text} ${text}`, `{"body":${text}}`]), note: "body wrapped" };
    }
    case 10: {
      const messages = Array.from({ length: r.pick([0, 1, 50, 2_000]) }, (_, i) => ({ role: r.pick(["user", "assistant", "system", "tool", "function", "developer", "robot"]), content: i % 7 === 0 ? null : "hi" }));
      if ("messages" in body) body.messages = messages;
      else body.input = Array.from({ length: r.pick([0, 2_048, 2_049]) }, () => "a");
      return { text: encode(body), note: "odd message/input list" };
    }
    default: {
      setAt(body, path, r.pick<unknown>([true, false, null, "", "null", "true", "1", -1, 0, 1.5]));
      return { text: encode(body), note: `${where} = wrong primitive` };
    }
  }
}

// ---- malformed JSON ----

function malformedJson(r: Rng): string {
  const valid = encode(validChat(r));
  switch (r.int(0, 9)) {
    case 0:
      return valid.slice(0, r.int(0, valid.length - 1)); // truncated
    case 1:
      return Buffer.from(Array.from({ length: r.int(1, 200) }, () => r.int(0, 255))).toString("latin1");
    case 2:
      return `\ufeff${valid}`; // byte-order mark
    case 3:
      return valid.replace(/"/g, "'");
    case 4:
      return valid.replace(/,/, ",,");
    case 5:
      return `${valid.slice(0, -1)},}`;
    case 6:
      return "[".repeat(r.pick([1_000, 100_000])) + "]".repeat(r.pick([0, 1_000]));
    case 7:
      return r.pick(["", " ", "null", "{", "}", '{"model"', '{"model":}', "\u0000", "undefined", "{model: 'x'}", "// comment\n{}", '{"a":1}//']);
    case 8:
      return `${valid}\u0000`;
    default:
      return valid.replace(/:/, ": NaN,");
  }
}

// ---- requests ----

type Headers = Record<string, string | string[]>;
type Case = {
  index: number;
  kind: string;
  note: string;
  method: string;
  path: string;
  headers: Headers;
  body: Buffer | null;
  /** Hang up as soon as the answer starts (a client gone mid-stream): only the server's health is checked. */
  hangUp?: boolean;
};

const ENDPOINTS = ["/v1/chat/completions", "/v1/embeddings"] as const;
const JSON_TYPE = { "content-type": "application/json" };

function auth(r: Rng): Headers {
  if (r.chance(0.9)) return { authorization: `Bearer ${E2E_API_KEY}` };
  return { authorization: `bearer  ${E2E_API_KEY}  ` };
}

function randomHeaders(r: Rng): { headers: Headers; note: string } {
  const key = E2E_API_KEY;
  const variants: [string, Headers][] = [
    ["no authorization", { ...JSON_TYPE }],
    ["empty authorization", { ...JSON_TYPE, authorization: "" }],
    ["Bearer without a key", { ...JSON_TYPE, authorization: "Bearer" }],
    ["Bearer and spaces", { ...JSON_TYPE, authorization: "Bearer    " }],
    ["Basic auth", { ...JSON_TYPE, authorization: `Basic ${Buffer.from(`user:${key}`).toString("base64")}` }],
    ["wrong key", { ...JSON_TYPE, authorization: `Bearer sk-proj-${"A".repeat(48)}` }],
    ["key with a changed last character", { ...JSON_TYPE, authorization: `Bearer ${key.slice(0, -1)}1` }],
    ["key without its prefix", { ...JSON_TYPE, authorization: `Bearer ${key.slice(8)}` }],
    ["latin-1 key", { ...JSON_TYPE, authorization: `Bearer sk-proj-\u00e9\u00e8\u00ff${"x".repeat(40)}` }],
    ["very long key", { ...JSON_TYPE, authorization: `Bearer sk-proj-${"k".repeat(6_000)}` }],
    ["two authorization headers", { ...JSON_TYPE, authorization: [`Bearer ${key}`, "Bearer sk-other"] }],
    ["two identical authorization headers", { ...JSON_TYPE, authorization: [`Bearer ${key}`, `Bearer ${key}`] }],
    ["lowercase bearer", { ...JSON_TYPE, authorization: `bearer ${key}` }],
    ["api-key header instead", { ...JSON_TYPE, "api-key": key }],
    ["text/plain", { "content-type": "text/plain", authorization: `Bearer ${key}` }],
    ["form content type", { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${key}` }],
    ["multipart content type", { "content-type": "multipart/form-data; boundary=xyz", authorization: `Bearer ${key}` }],
    ["utf-16 charset", { "content-type": "application/json; charset=utf-16", authorization: `Bearer ${key}` }],
    ["no content type", { authorization: `Bearer ${key}` }],
    ["two content types", { "content-type": ["application/json", "text/plain"], authorization: `Bearer ${key}` }],
    ["huge header", { ...JSON_TYPE, authorization: `Bearer ${key}`, "x-junk": "j".repeat(8_000) }],
    ["many headers", { ...JSON_TYPE, authorization: `Bearer ${key}`, ...Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`x-h${i}`, String(i)])) }],
    ["odd accept", { ...JSON_TYPE, authorization: `Bearer ${key}`, accept: "text/event-stream", "accept-encoding": "br;q=1, gzip;q=0, identity;q=0" }],
    ["forwarded headers", { ...JSON_TYPE, authorization: `Bearer ${key}`, "x-forwarded-for": "::1, 999.1.1.1, unknown", "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher" }],
    ["openai headers", { ...JSON_TYPE, authorization: `Bearer ${key}`, "openai-organization": "org-x", "openai-project": "proj_\u00ff", "x-request-id": "req_spoofed" }],
    ["expect header", { ...JSON_TYPE, authorization: `Bearer ${key}`, "idempotency-key": "x".repeat(300) }],
  ];
  const [note, headers] = r.pick(variants);
  return { headers, note };
}

function randomPath(r: Rng): string {
  const segment = () =>
    r.pick([
      "chat", "completions", "models", "embeddings", "files", "assistants", "threads", "fine_tuning", "jobs", "responses", "batches", "images",
      MODEL, ".", "%00", "%ZZ", "%E0%A4%A", "%F0%9F%90%88", "🐈", "a%2Fb", "x".repeat(r.pick([1, 300, 2_000])), "", " ", "?", "#",
    ]);
  const base = r.pick(["/v1", "/v1/", "/v1//", "/v1/models/", "/v1/chat/"]);
  const parts = Array.from({ length: r.int(0, 4) }, segment).map((s) => (s === "🐈" ? encodeURIComponent(s) : s.replace(/ /g, "%20").replace(/#/g, "%23").replace(/\?/g, "%3F")));
  const query = r.chance(0.2) ? r.pick(["?", "?a=1", "?model=x&model=y", "?%ZZ=1", `?q=${"q".repeat(1_000)}`]) : "";
  const head = parts.length && !base.endsWith("/") ? `${base}/` : base;
  return `${head}${parts.join("/")}` + query;
}

function makeCase(r: Rng, index: number): Case {
  const roll = r.next();
  if (roll < 0.15) {
    return { index, kind: "malformed JSON", note: "", method: "POST", path: r.pick(ENDPOINTS), headers: { ...JSON_TYPE, ...auth(r) }, body: Buffer.from(malformedJson(r), r.chance(0.2) ? "latin1" : "utf8") };
  }
  if (roll < 0.3) {
    return { index, kind: "random JSON", note: "", method: "POST", path: r.pick(ENDPOINTS), headers: { ...JSON_TYPE, ...auth(r) }, body: Buffer.from(encode(randomValue(r))) };
  }
  if (roll < 0.65) {
    const { text, note } = mutate(r, validChat(r));
    return { index, kind: "mutated chat body", note, method: "POST", path: "/v1/chat/completions", headers: { ...JSON_TYPE, ...auth(r) }, body: Buffer.from(text) };
  }
  if (roll < 0.77) {
    const { text, note } = mutate(r, validEmbedding(r));
    return { index, kind: "mutated embedding body", note, method: "POST", path: "/v1/embeddings", headers: { ...JSON_TYPE, ...auth(r) }, body: Buffer.from(text) };
  }
  if (roll < 0.86) {
    const { headers, note } = randomHeaders(r);
    const target = r.pick(["/v1/chat/completions", "/v1/embeddings", "/v1/models", `/v1/models/${MODEL}`]);
    const get = target.startsWith("/v1/models");
    const body = get ? null : Buffer.from(encode(target === "/v1/embeddings" ? validEmbedding(r) : validChat(r)));
    return { index, kind: "odd headers", note, method: get ? "GET" : "POST", path: target, headers, body };
  }
  if (roll < 0.9) {
    const body = validChat(r);
    Object.assign(body, { stream: true, max_tokens: r.int(50, 400) });
    return { index, kind: "client hangs up mid-stream", note: "", method: "POST", path: "/v1/chat/completions", headers: { ...JSON_TYPE, ...auth(r) }, body: Buffer.from(encode(body)), hangUp: true };
  }
  // HEAD is left out: its answers have no body to check.
  const method = r.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "GET", "POST", "OPTIONS", "TRACE"]);
  const path = r.chance(0.5) ? r.pick(["/v1/chat/completions", "/v1/embeddings", "/v1/models", `/v1/models/${MODEL}`, "/v1/models/no-such-model", "/v1"]) : randomPath(r);
  const body = method === "GET" || r.chance(0.3) ? null : Buffer.from(encode(r.chance(0.5) ? validChat(r) : randomValue(r)));
  return { index, kind: "method and path", note: "", method, path, headers: { ...(body ? JSON_TYPE : {}), ...auth(r) }, body };
}

// ---- sending and checking ----

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer } | { error: string } | { hungUp: true };

function sendCase(baseURL: string, c: Case, agent: http.Agent): Promise<Answer> {
  const url = new URL(baseURL);
  return new Promise((resolve) => {
    const headers: http.OutgoingHttpHeaders = { ...c.headers };
    if (c.body) headers["content-length"] = c.body.length;
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, method: c.method, path: c.path, headers, agent }, (res) => {
        if (c.hangUp && res.statusCode === 200) {
          res.once("data", () => {
            req.destroy();
            done({ hungUp: true });
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", (e) => done({ error: `response error: ${e.message}` }));
      });
    } catch (e) {
      // Node refused to send it (a generator bug, not a server one): reported like a failure.
      return done({ error: `the fuzzer built a request Node cannot send: ${(e as Error).message}` });
    }
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.destroy();
      done({ error: `no complete answer within ${REQUEST_TIMEOUT_MS / 1000} s (hang)` });
    });
    req.on("error", (e) => done({ error: `request error: ${e.message}` }));
    req.end(c.body ?? undefined);
  });
}

/** What is wrong with an answer, or null. */
function problemWith(a: Answer): string | null {
  if ("hungUp" in a) return null;
  if ("error" in a) return a.error;
  if (a.status >= 500 && !(a.status === 503 && a.headers["retry-after"])) return `status ${a.status}`;
  if (!a.headers["x-request-id"]) return `no x-request-id header (status ${a.status})`;
  if (a.status >= 200 && a.status < 300) return null;
  let json: unknown;
  try {
    json = JSON.parse(a.body.toString("utf8"));
  } catch {
    return `status ${a.status} with a body that is not JSON (content-type ${a.headers["content-type"] ?? "none"})`;
  }
  const e = (json as { error?: Record<string, unknown> } | null)?.error;
  if (!e || typeof e !== "object") return `status ${a.status} without an "error" object`;
  if (typeof e.message !== "string" || !e.message) return `status ${a.status}: error.message is not a non-empty string`;
  if (typeof e.type !== "string" || !e.type) return `status ${a.status}: error.type is not a non-empty string`;
  if (!("param" in e) || (e.param !== null && typeof e.param !== "string")) return `status ${a.status}: error.param is missing or not string/null`;
  if (!("code" in e) || (e.code !== null && typeof e.code !== "string")) return `status ${a.status}: error.code is missing or not string/null`;
  return null;
}

/**
 * A shell command that sends exactly the same bytes (any body, null bytes included). Bodies too
 * long to print are written next to the test's results and sent from there.
 */
function reproducer(baseURL: string, c: Case): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const headers = Object.entries(c.headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `-H ${q(`${k}: ${x.length > 200 ? `${x.slice(0, 40)}…(${x.length} chars)` : x}`)}`));
  let body = "";
  if (c.body && c.body.length > 4_000) {
    const file = test.info().outputPath(`request-${c.index}.bin`);
    fs.writeFileSync(file, c.body);
    body = `cat ${q(file)} | `;
  } else if (c.body) body = `echo ${c.body.toString("base64")} | base64 -d | `;
  return `${body}curl -sS -i --path-as-is -X ${c.method} ${q(new URL(baseURL).origin + c.path)} ${headers.join(" ")}${c.body ? " --data-binary @-" : ""}`;
}

test("fuzzed /v1 requests: never a 5xx or a hang, always a request id and OpenAI's error shape", async ({ baseURL }) => {
  test.setTimeout(180_000);
  console.log(`api fuzz: seed ${SEED}, ${COUNT} requests (replay with FUZZ_SEED=${SEED})`);
  test.info().annotations.push({ type: "fuzz seed", description: String(SEED) });
  const r = prng(SEED);
  // Keep-alive, as SDKs do, but a request that breaks its connection must not take others along.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // Failures grouped by what went wrong, each with the first reproducers found.
  const failures = new Map<string, string[]>();
  let failed = 0;
  const statuses = new Map<number, number>();
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const c = makeCase(r, i);
    const a = await sendCase(baseURL!, c, agent);
    if ("status" in a) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    const problem = problemWith(a);
    if (!problem) continue;
    failed++;
    const group = `${c.kind}: ${problem}`;
    const seen = failures.get(group) ?? [];
    failures.set(group, seen);
    if (seen.length < 3) {
      const body = "body" in a ? a.body.toString("utf8").slice(0, 200).replace(/\s+/g, " ") : "";
      seen.push(`#${c.index}${c.note ? ` (${c.note})` : ""}: answer ${JSON.stringify(body)}\n      ${reproducer(baseURL!, c)}`);
    } else seen.push("");
  }
  agent.destroy();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`api fuzz: ${COUNT} requests in ${seconds} s; statuses ${[...statuses].sort((x, y) => x[0] - y[0]).map(([s, n]) => `${s}×${n}`).join(" ")}`);

  // Still healthy, and still serving a plain request.
  const health = await fetch(new URL("/healthz", baseURL));
  expect(health.status).toBe(200);
  const ok = await fetch(new URL("/v1/models", baseURL), { headers: { authorization: `Bearer ${E2E_API_KEY}` } });
  expect(ok.status).toBe(200);

  const report = [...failures].map(([group, cases]) => `${cases.length}× ${group}\n${cases.filter(Boolean).map((c) => `    ${c}`).join("\n")}`);
  if (failed) console.log(`api fuzz: ${failed} failing answers (seed ${SEED}):\n${report.join("\n")}`);
  expect([...failures.keys()], `${failed} of ${COUNT} answers broke the /v1 contract (seed ${SEED}); reproducers are in the log above`).toEqual([]);
});
