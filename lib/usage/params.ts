import { z } from "zod";
import { daysBetween, isRealDate } from "./time";

// The usage dashboard's view, as it travels in the URL (page, CSV export, shared links).
// Pure and client-safe: the controls build URLs with it, the server validates with it, and
// lib/usage/queries.ts validates again, so a query never sees unchecked input.

export const USAGE_RANGES = ["1d", "7d", "30d", "90d", "custom"] as const;
export const USAGE_BUCKETS = ["hour", "day", "month"] as const;
export const USAGE_GROUPS = ["model", "project", "key", "user"] as const;
export const USAGE_SCOPES = ["org", "me"] as const;

export type UsageRange = (typeof USAGE_RANGES)[number];
export type UsageBucket = (typeof USAGE_BUCKETS)[number];
export type UsageGroup = (typeof USAGE_GROUPS)[number];
export type UsageScope = (typeof USAGE_SCOPES)[number];

export const RANGE_LABELS: Record<UsageRange, string> = {
  "1d": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  custom: "Custom range",
};
export const BUCKET_LABELS: Record<UsageBucket, string> = { hour: "Hourly", day: "Daily", month: "Monthly" };
export const GROUP_LABELS: Record<UsageGroup, string> = { model: "Model", project: "Project", key: "API key", user: "User" };
/** The same in running text ("By API key", "stacked by model"). */
export const GROUP_NOUNS: Record<UsageGroup, string> = { model: "model", project: "project", key: "API key", user: "user" };

/** The "API key" filter's value for console playground runs (rollups with apiKeyId ""). */
export const PLAYGROUND_KEY = "playground";

export const MAX_FILTER_VALUES = 50;
/** Hourly buckets beyond this many days would be unreadable and slow: refused with a message. */
export const MAX_HOURLY_DAYS = 366;
/** The longest custom range (about five years). */
export const MAX_RANGE_DAYS = 1830;
export const EARLIEST_DATE = "2000-01-01";

const id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "A filter names an unknown project or key. Clear the filters and choose again.");
const model = z
  .string()
  .min(1, "A model filter is empty.")
  .max(256, "A model name can be at most 256 characters.")
  .refine((s) => !/[\u0000-\u001f]/.test(s), "A model filter contains control characters.");
const list = <T extends z.ZodType<string>>(item: T, what: string) =>
  z
    .array(item)
    .max(MAX_FILTER_VALUES, `Choose at most ${MAX_FILTER_VALUES} ${what}.`)
    .transform((v) => [...new Set(v)])
    .default([]);
const date = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${label} must be a date like 2026-01-31.`, abort: true })
    .refine(isRealDate, `${label} is not a real date.`)
    .refine((d) => d >= EARLIEST_DATE, `${label} must be in ${EARLIEST_DATE.slice(0, 4)} or later.`);

/** One dashboard view. `bucket` and `scope` have defaults that depend on the range and the role. */
export const usageQuerySchema = z
  .object({
    range: z.enum(USAGE_RANGES, "Unknown range. Choose one from the list.").default("7d"),
    from: date("“From”").optional(),
    to: date("“To”").optional(),
    bucket: z.enum(USAGE_BUCKETS, "Unknown bucket size. Choose hourly, daily or monthly.").optional(),
    group: z.enum(USAGE_GROUPS, "Unknown grouping. Choose model, project, API key or user.").default("model"),
    projects: list(id, "projects"),
    models: list(model, "models"),
    keys: list(id, "API keys"),
    scope: z.enum(USAGE_SCOPES, "Unknown scope.").optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.range !== "custom") return;
    if (!q.from || !q.to) {
      ctx.addIssue({ code: "custom", path: [q.from ? "to" : "from"], message: "A custom range needs both a “From” and a “To” date." });
      return;
    }
    if (q.from > q.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "“From” must be on or before “To”." });
      return;
    }
    const days = daysBetween(q.from, q.to) + 1;
    if (days > MAX_RANGE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `A custom range can span at most ${MAX_RANGE_DAYS} days (about five years).` });
    } else if (days > MAX_HOURLY_DAYS && q.bucket === "hour") {
      ctx.addIssue({
        code: "custom",
        path: ["bucket"],
        message: `Hourly buckets cover at most ${MAX_HOURLY_DAYS} days; this range has ${days}. Choose daily or monthly buckets, or a shorter range.`,
      });
    }
  });

export type UsageQueryInput = z.input<typeof usageQuerySchema>;
export type UsageQuery = z.output<typeof usageQuerySchema>;

export type UsageSearchParams = Record<string, string | string[] | undefined>;

const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const first = (v: string | string[] | undefined) => all(v)[0];
const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

/** Raw values from the URL, trimmed and shortened, for redisplay when they do not validate. */
export type UsageParamValues = {
  range: string;
  from: string;
  to: string;
  bucket: string;
  group: string;
  scope: string;
  projects: string[];
  models: string[];
  keys: string[];
};

export type ParsedUsageParams =
  | { ok: true; query: UsageQuery; values: UsageParamValues }
  | { ok: false; errors: string[]; invalid: Set<string>; values: UsageParamValues };

/** Reads a view from URL search params (Next.js `searchParams` or URLSearchParams). */
export function parseUsageParams(sp: UsageSearchParams | URLSearchParams): ParsedUsageParams {
  const get = (k: string): string | string[] | undefined => {
    if (sp instanceof URLSearchParams) {
      const v = sp.getAll(k);
      return v.length ? v : undefined;
    }
    return sp[k];
  };
  // Bounded before validation: a huge query string must not cost more than a small one.
  const many = (k: string) => all(get(k)).slice(0, MAX_FILTER_VALUES + 1).map((s) => s.slice(0, 300)).filter((s) => s.trim() !== "");
  const values: UsageParamValues = {
    range: (first(get("range")) ?? "").slice(0, 20),
    from: (first(get("from")) ?? "").slice(0, 40),
    to: (first(get("to")) ?? "").slice(0, 40),
    bucket: (first(get("bucket")) ?? "").slice(0, 20),
    group: (first(get("group")) ?? "").slice(0, 20),
    scope: (first(get("scope")) ?? "").slice(0, 20),
    projects: many("project"),
    models: many("model"),
    keys: many("key"),
  };
  const range = blank(values.range);
  const custom = range === "custom";
  const parsed = usageQuerySchema.safeParse({
    range,
    // Dates only mean something for a custom range; presets ignore leftovers from one.
    from: custom ? blank(values.from) : undefined,
    to: custom ? blank(values.to) : undefined,
    bucket: blank(values.bucket),
    group: blank(values.group),
    scope: blank(values.scope),
    projects: values.projects.map((s) => s.trim()),
    models: values.models,
    keys: values.keys.map((s) => s.trim()),
  });
  if (parsed.success) return { ok: true, query: parsed.data, values };
  return {
    ok: false,
    errors: [...new Set(parsed.error.issues.map((i) => i.message))],
    invalid: new Set(parsed.error.issues.map((i) => String(i.path[0] ?? ""))),
    values,
  };
}

/** The default bucket size for a range: hourly for a day or less, monthly beyond a year. */
export function defaultBucket(range: UsageRange, days?: number): UsageBucket {
  if (range === "1d") return "hour";
  if (range !== "custom") return "day";
  if (days !== undefined && days <= 3) return "hour";
  if (days !== undefined && days > MAX_HOURLY_DAYS) return "month";
  return "day";
}

/** Search params for a view; defaults are left out so URLs stay short. */
export function usageSearchParams(q: Partial<UsageQuery>): URLSearchParams {
  const p = new URLSearchParams();
  if (q.range && q.range !== "7d") p.set("range", q.range);
  if (q.range === "custom") {
    if (q.from) p.set("from", q.from);
    if (q.to) p.set("to", q.to);
  }
  if (q.bucket) p.set("bucket", q.bucket);
  if (q.group && q.group !== "model") p.set("group", q.group);
  if (q.scope) p.set("scope", q.scope);
  for (const v of q.projects ?? []) p.append("project", v);
  for (const v of q.models ?? []) p.append("model", v);
  for (const v of q.keys ?? []) p.append("key", v);
  return p;
}

export function usageHref(basePath: string, q: Partial<UsageQuery>): string {
  const s = usageSearchParams(q).toString();
  return s ? `${basePath}?${s}` : basePath;
}
