// Turns the dashboard's series rows into chart points: one point per bucket of the range
// (buckets without usage are zeros, so the time axis has no gaps), cost stacked by the top
// groups plus "Other", and per-bucket sums for the tokens, requests and errors charts.
// Pure, so it is tested without a browser; the Recharts components only render its output.

import type { UsageBucket } from "@/lib/usage/params";

export type SeriesInput = {
  bucket: string;
  group: string | null;
  requests: number;
  errors: number;
  rateLimited: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costMicros: number;
};

export type ChartStack = { key: string; label: string; color: string };

export type ChartPoint = {
  bucket: string;
  /** Short axis label ("Mar 5", "Mar 5, 15:30", "Mar 2026"). */
  label: string;
  /** Longer label for tooltips. */
  title: string;
  costUsd: number;
  requests: number;
  errors: number;
  rateLimited: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  [stack: string]: number | string;
};

export type UsageCharts = { stacks: ChartStack[]; points: ChartPoint[] };

/** Colors of the stacked series: theme-aware CSS variables set by the chart container. */
export const STACK_COLORS = Array.from({ length: 8 }, (_, i) => `var(--usage-chart-${i + 1})`);
export const OTHER_COLOR = "var(--usage-chart-other)";

const monthDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const monthYear = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", year: "numeric" });
const longDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" });
const hourFormats = new Map<string, { short: Intl.DateTimeFormat; long: Intl.DateTimeFormat }>();

function hourFormat(timeZone: string) {
  let f = hourFormats.get(timeZone);
  if (!f) {
    f = {
      short: new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      long: new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }),
    };
    hourFormats.set(timeZone, f);
  }
  return f;
}

/** Axis and tooltip labels of a bucket key (see lib/usage/time.ts for the keys). */
export function bucketLabels(bucket: UsageBucket, key: string, timeZone: string): { label: string; title: string } {
  if (bucket === "hour") {
    const d = new Date(key);
    const f = hourFormat(timeZone);
    // An hour starts at :30 or :45 in zones with such offsets: shown as it is, never rounded.
    return { label: f.short.format(d), title: `${f.long.format(d)} (1 hour)` };
  }
  if (bucket === "day") {
    const d = new Date(`${key}T00:00:00Z`);
    return { label: monthDay.format(d), title: longDay.format(d) };
  }
  const d = new Date(`${key}-01T00:00:00Z`);
  return { label: monthYear.format(d), title: monthYear.format(d) };
}

export function prepareUsageCharts(input: {
  buckets: string[];
  bucket: UsageBucket;
  timeZone: string;
  series: SeriesInput[];
  /** The groups the series names, in stacking order (most expensive first). */
  groups: { id: string; label: string }[];
}): UsageCharts {
  const stacks: ChartStack[] = input.groups.map((g, i) => ({ key: `s${i}`, label: g.label, color: STACK_COLORS[i % STACK_COLORS.length] }));
  const stackOf = new Map(input.groups.map((g, i) => [g.id, stacks[i].key]));
  const hasOther = input.series.some((r) => r.group === null || !stackOf.has(r.group));
  if (hasOther) stacks.push({ key: "other", label: "Other", color: OTHER_COLOR });

  const points = new Map<string, ChartPoint>();
  for (const key of input.buckets) {
    const p: ChartPoint = {
      bucket: key, ...bucketLabels(input.bucket, key, input.timeZone),
      costUsd: 0, requests: 0, errors: 0, rateLimited: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0,
    };
    for (const s of stacks) p[s.key] = 0;
    points.set(key, p);
  }
  // Sums in integer micro-dollars per stack first; dollars (floats, display only) at the end.
  const micros = new Map<string, number>();
  for (const r of input.series) {
    const p = points.get(r.bucket);
    if (!p) continue; // outside the range: cannot happen with the dashboard's own rows
    const stack = (r.group !== null && stackOf.get(r.group)) || "other";
    const k = `${r.bucket}|${stack}`;
    micros.set(k, (micros.get(k) ?? 0) + r.costMicros);
    p.requests += r.requests;
    p.errors += r.errors;
    p.rateLimited += r.rateLimited;
    p.inputTokens += r.promptTokens;
    p.cachedTokens += r.cachedTokens;
    p.outputTokens += r.completionTokens;
  }
  for (const p of points.values()) {
    let total = 0;
    for (const s of stacks) {
      const m = micros.get(`${p.bucket}|${s.key}`) ?? 0;
      total += m;
      p[s.key] = m / 1_000_000;
    }
    p.costUsd = total / 1_000_000;
  }
  return { stacks, points: [...points.values()] };
}
