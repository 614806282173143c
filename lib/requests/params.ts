import { z } from "zod";
import { isRealDate } from "@/lib/usage/time";

// The request log's view, as it travels in the URL. Pure and client-safe: the controls build
// URLs with it, the page and the "Load more" action validate with it, and lib/requests/queries.ts
// validates again, so a query never sees unchecked input.

export const REQUEST_RANGES = ["1h", "24h", "7d", "30d", "custom"] as const;
export const REQUEST_SCOPES = ["org", "me"] as const;
/** Status classes; a three-digit status code is accepted as well. */
export const STATUS_CLASSES = ["2xx", "4xx", "5xx", "429", "errors"] as const;

export type RequestRange = (typeof REQUEST_RANGES)[number];
export type RequestScope = (typeof REQUEST_SCOPES)[number];

export const RANGE_LABELS: Record<RequestRange, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  custom: "Custom range",
};

export const STATUS_LABELS: Record<(typeof STATUS_CLASSES)[number], string> = {
  "2xx": "2xx · Succeeded",
  "4xx": "4xx · Client errors",
  "5xx": "5xx · Server errors",
  "429": "429 · Rate limited",
  errors: "All errors (4xx and 5xx)",
};

/** Specific codes the status filter offers besides the classes (a URL may name any other). */
export const COMMON_STATUS_CODES = [400, 401, 402, 403, 404, 413, 422, 499, 500, 502, 503, 504] as const;

/** Error codes the gateway answers with, offered as suggestions in the error-code filter. */
export const COMMON_ERROR_CODES = [
  "model_not_found",
  "model_not_allowed",
  "rate_limit_exceeded",
  "context_length_exceeded",
  "invalid_request_error",
  "invalid_api_key",
  "insufficient_quota",
  "client_closed_request",
  "internal_error",
  "server_error",
] as const;

/** The API key filter's value for console playground runs (events without a key). */
export const PLAYGROUND_KEY = "playground";

export const PAGE_SIZE = 50;
export const DEFAULT_RANGE: RequestRange = "24h";
export const EARLIEST_DATE = "2000-01-01";

const LOCAL_DATETIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Whether `s` is "YYYY-MM-DD" or "YYYY-MM-DDTHH:mm[:ss]" naming a real date and time. */
export function isLocalDateTime(s: string): boolean {
  const m = LOCAL_DATETIME.exec(s);
  if (!m || !isRealDate(m[1])) return false;
  if (m[2] === undefined) return true;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && (m[4] === undefined || Number(m[4]) < 60);
}

/** "YYYY-MM-DDTHH:mm:ss" for comparisons (a date alone is its midnight). */
export function normalizeLocal(s: string): string {
  const m = LOCAL_DATETIME.exec(s)!;
  return `${m[1]}T${m[2] ?? "00"}:${m[3] ?? "00"}:${m[4] ?? "00"}`;
}

const localDateTime = (label: string) =>
  z
    .string()
    .regex(LOCAL_DATETIME, { message: `${label} must be a date and time like 2026-01-31T14:30.`, abort: true })
    .refine(isLocalDateTime, `${label} is not a real date and time.`)
    .refine((s) => s.slice(0, 10) >= EARLIEST_DATE, `${label} must be in ${EARLIEST_DATE.slice(0, 4)} or later.`);

const id = (message: string) => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, message);
const text = (label: string, max: number) =>
  z
    .string()
    .min(1, `The ${label} filter is empty.`)
    .max(max, `A ${label} can be at most ${max} characters.`)
    .refine((s) => !/[\u0000-\u001f]/.test(s), `The ${label} filter contains control characters.`);

// ---- Cursors ----

/** Where a page ends: the last row's time (ms) and id. Opaque to clients. */
export type RequestCursor = { createdMs: number; id: string };

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function encodeCursor(c: RequestCursor): string {
  return b64url(`${c.createdMs}.${c.id}`);
}

export function decodeCursor(s: string): RequestCursor | null {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(s)) return null;
  let raw: string;
  try {
    raw = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const m = /^(\d{1,15})\.(\d{1,19})$/.exec(raw);
  if (!m) return null;
  const createdMs = Number(m[1]);
  // Ids are PostgreSQL bigints (positive).
  if (!Number.isSafeInteger(createdMs) || BigInt(m[2]) > 9_223_372_036_854_775_807n) return null;
  return { createdMs, id: m[2] };
}

const cursor = z
  .string()
  .refine((s) => decodeCursor(s) !== null, "This page link is not valid any more. Start again from the newest requests.");

/** One request-log view. `scope` defaults by role (owners: the organization; others: their own). */
export const requestQuerySchema = z
  .object({
    range: z.enum(REQUEST_RANGES, "Unknown period. Choose one from the list.").default(DEFAULT_RANGE),
    from: localDateTime("“From”").optional(),
    to: localDateTime("“To”").optional(),
    project: id("The project filter names an unknown project. Clear the filters and choose again.").optional(),
    key: id("The API key filter names an unknown key. Clear the filters and choose again.").optional(),
    model: text("model", 256).optional(),
    status: z
      .string()
      .regex(/^(2xx|4xx|5xx|429|errors|[1-5]\d\d)$/, "Unknown status. Choose 2xx, 4xx, 5xx, 429, all errors, or a three-digit status code.")
      .optional(),
    code: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "An error code has only letters, digits, “_”, “-”, “.” and “:” (at most 100 characters).")
      .optional(),
    scope: z.enum(REQUEST_SCOPES, "Unknown scope.").optional(),
    cursor: cursor.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.range !== "custom") return;
    if (!q.from && !q.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "A custom range needs a “From” or a “To” date and time." });
      return;
    }
    if (q.from && q.to && normalizeLocal(q.from) > normalizeLocal(q.to)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "“From” must be before “To”." });
    }
  });

export type RequestQueryInput = z.input<typeof requestQuerySchema>;
export type RequestQuery = z.output<typeof requestQuerySchema>;

export type RequestSearchParams = Record<string, string | string[] | undefined>;

/** Raw values from the URL, trimmed and shortened, for redisplay when they do not validate. */
export type RequestParamValues = {
  range: string;
  from: string;
  to: string;
  project: string;
  key: string;
  model: string;
  status: string;
  code: string;
  scope: string;
  cursor: string;
};

export type ParsedRequestParams = (
  | { ok: true; query: RequestQuery }
  | { ok: false; errors: string[]; invalid: Set<string> }
) & {
  values: RequestParamValues;
  /** The request whose details are open (`?id=`); null when absent or not a possible request id. */
  id: string | null;
};

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const blank = (v: string) => (v.trim() === "" ? undefined : v.trim());

/** A request id as the API makes them (`req_` and hex), or any other short, plain id. */
export function isRequestId(s: unknown): s is string {
  return typeof s === "string" && /^[A-Za-z0-9_.:-]{1,128}$/.test(s);
}

/** Reads a view from URL search params (Next.js `searchParams` or URLSearchParams). */
export function parseRequestParams(sp: RequestSearchParams | URLSearchParams): ParsedRequestParams {
  const get = (k: string) => (sp instanceof URLSearchParams ? (sp.get(k) ?? undefined) : first(sp[k]));
  // Bounded before validation: a huge query string must not cost more than a small one.
  const val = (k: string, max: number) => (get(k) ?? "").slice(0, max);
  const values: RequestParamValues = {
    range: val("range", 20),
    from: val("from", 40),
    to: val("to", 40),
    project: val("project", 100),
    key: val("key", 100),
    model: val("model", 300),
    status: val("status", 20),
    code: val("code", 120),
    scope: val("scope", 20),
    cursor: val("cursor", 100),
  };
  const rawId = get("id")?.trim();
  const id = isRequestId(rawId) ? rawId : null;
  const range = blank(values.range);
  const custom = range === "custom";
  const parsed = requestQuerySchema.safeParse({
    range,
    // Dates only mean something for a custom range; presets ignore leftovers from one.
    from: custom ? blank(values.from) : undefined,
    to: custom ? blank(values.to) : undefined,
    project: blank(values.project),
    key: blank(values.key),
    model: values.model === "" ? undefined : values.model,
    status: blank(values.status),
    code: blank(values.code),
    scope: blank(values.scope),
    cursor: blank(values.cursor),
  });
  if (parsed.success) return { ok: true, query: parsed.data, values, id };
  return {
    ok: false,
    errors: [...new Set(parsed.error.issues.map((i) => i.message))],
    invalid: new Set(parsed.error.issues.map((i) => String(i.path[0] ?? ""))),
    values,
    id,
  };
}

/** The filters of a view, as the controls edit them (no cursor: a new filter starts from the newest). */
export type RequestView = {
  range: RequestRange;
  from?: string;
  to?: string;
  project?: string;
  key?: string;
  model?: string;
  status?: string;
  code?: string;
  scope?: RequestScope;
};

/** Search params for a view; defaults are left out so URLs stay short. */
export function requestSearchParams(v: Partial<RequestQuery> & { id?: string | null }): URLSearchParams {
  const p = new URLSearchParams();
  if (v.range && v.range !== DEFAULT_RANGE) p.set("range", v.range);
  if (v.range === "custom") {
    if (v.from) p.set("from", v.from);
    if (v.to) p.set("to", v.to);
  }
  if (v.project) p.set("project", v.project);
  if (v.key) p.set("key", v.key);
  if (v.model) p.set("model", v.model);
  if (v.status) p.set("status", v.status);
  if (v.code) p.set("code", v.code);
  if (v.scope) p.set("scope", v.scope);
  if (v.cursor) p.set("cursor", v.cursor);
  if (v.id) p.set("id", v.id);
  return p;
}

export function requestsHref(basePath: string, v: Partial<RequestQuery> & { id?: string | null }): string {
  const s = requestSearchParams(v).toString();
  return s ? `${basePath}?${s}` : basePath;
}

/** Whether a view narrows the log beyond its period (for empty states and "Clear filters"). */
export function hasFilters(v: Partial<RequestView>): boolean {
  return !!(v.project || v.key || v.model || v.status || v.code);
}

/** Whether an event's status matches a status filter value (the SQL in queries.ts says the same). */
export function statusMatches(filter: string, status: number): boolean {
  switch (filter) {
    case "2xx":
      return status >= 200 && status <= 299;
    case "4xx":
      return status >= 400 && status <= 499;
    case "5xx":
      return status >= 500 && status <= 599;
    case "errors":
      return status >= 400;
    default:
      return status === Number(filter);
  }
}
