import "server-only";
import { getOrgAccess, type Actor } from "@/lib/auth/access";
import { db, getDatabase } from "@/lib/db";
import { forbidden, invalid } from "@/lib/errors";
import {
  defaultBucket,
  PLAYGROUND_KEY,
  usageQuerySchema,
  type UsageBucket,
  type UsageGroup,
  type UsageQueryInput,
  type UsageRange,
  type UsageScope,
} from "./params";
import { addDays, bucketKeys, bucketStart, DAY_MS, dayStartHour, daysBetween, floorHour, HOUR_MS, isValidTimeZone, localDate } from "./time";

// The usage dashboard's queries. They read only the hourly rollups (UsageRollup), never the
// raw events: a 90-day view aggregates at most a few hundred thousand rollup rows instead of
// millions of events. All SQL is parameterized; the few identifiers spliced in come from
// fixed tables below, never from input.
//
// Access is decided here from the actor, not from what a client asks for: organization
// owners may see the whole organization ("org") or only their own calls ("me"); every other
// member sees only rollups carrying their user id (their keys and their playground runs).

export type UsageSums = {
  requests: number;
  errors: number;
  rateLimited: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Integer micro-dollars ($1 = 1,000,000); exact below 2^53 (about $9 billion). */
  costMicros: number;
};

export const ZERO_SUMS: UsageSums = Object.freeze({
  requests: 0, errors: 0, rateLimited: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costMicros: 0,
});

/** A validated view, with its range resolved to whole UTC hours in the organization's time zone. */
export type ResolvedUsageQuery = {
  orgId: string;
  orgName: string;
  role: "owner" | "reader";
  scope: UsageScope;
  /** Set when only one user's rollups may be read ("me"). */
  userId: string | null;
  timeZone: string;
  range: UsageRange;
  bucket: UsageBucket;
  group: UsageGroup;
  /** Inclusive start and exclusive end, whole UTC hours. */
  from: Date;
  to: Date;
  /** The local dates the range covers (inclusive), for headings and file names. */
  fromDate: string;
  toDate: string;
  projects: string[];
  models: string[];
  /** API key ids as stored: "" is the console playground. */
  keys: string[];
  /** Every bucket of the range, oldest first (see lib/usage/time.ts for the key format). */
  buckets: string[];
};

export type UsageSeriesRow = UsageSums & {
  bucket: string;
  /** The group's id (project id, model, key id, user id; "" = playground / no user); null = "Other". */
  group: string | null;
};

export type UsageGroupLabel = { label: string; detail: string | null };

export type UsageBreakdownRow = UsageSums &
  UsageGroupLabel & {
    group: string;
    /** Fraction of the period's cost (0-1); 0 when nothing cost anything. */
    share: number;
  };

const PRESET_DAYS: Record<Exclude<UsageRange, "1d" | "custom">, number> = { "7d": 7, "30d": 30, "90d": 90 };

/** Validates a view and resolves it for the actor. Throws ServiceError (invalid / not_found / forbidden). */
export async function resolveUsageQuery(actor: Actor, orgId: string, input: UsageQueryInput, opts: { now?: Date } = {}): Promise<ResolvedUsageQuery> {
  const parsed = usageQuerySchema.safeParse(input);
  if (!parsed.success) throw invalid([...new Set(parsed.error.issues.map((i) => i.message))].join(" "));
  const q = parsed.data;

  const access = await getOrgAccess(actor, orgId); // not a member → not found
  const isOwner = access.role === "owner";
  const scope: UsageScope = q.scope ?? (isOwner ? "org" : "me");
  if (scope === "org" && !isOwner) throw forbidden("Only organization owners can see the whole organization's usage.");

  const org = await (await db()).organization.findUnique({ where: { id: access.orgId }, select: { timeZone: true } });
  // A zone this runtime does not know would make the SQL fail: fall back to UTC rather than break the page.
  const timeZone = isValidTimeZone(org?.timeZone) ? org.timeZone : "UTC";

  const nowMs = (opts.now ?? new Date()).getTime();
  if (!Number.isFinite(nowMs)) throw invalid("Invalid current time.");
  const end = floorHour(nowMs) + HOUR_MS; // through the current hour
  let from: number;
  let to: number;
  let fromDate: string;
  let toDate: string;
  let days: number;
  if (q.range === "1d") {
    to = end;
    from = end - DAY_MS;
    fromDate = localDate(timeZone, from);
    toDate = localDate(timeZone, to - HOUR_MS);
    days = 1;
  } else if (q.range === "custom") {
    // The schema guarantees both dates, in order, and the range limits.
    fromDate = q.from!;
    toDate = q.to!;
    days = daysBetween(fromDate, toDate) + 1;
    from = dayStartHour(timeZone, fromDate);
    if (from >= end) throw invalid("“From” is in the future: there is no usage to show yet.");
    // Future hours hold nothing: the charts stop at the current hour.
    to = Math.min(dayStartHour(timeZone, addDays(toDate, 1)), end);
  } else {
    days = PRESET_DAYS[q.range];
    toDate = localDate(timeZone, nowMs);
    fromDate = addDays(toDate, -(days - 1));
    from = dayStartHour(timeZone, fromDate);
    to = end;
  }
  const bucket = q.bucket ?? defaultBucket(q.range, days);

  return issue({
    orgId: access.orgId,
    orgName: access.orgName,
    role: access.role,
    scope,
    userId: scope === "me" ? actor.userId : null,
    timeZone,
    range: q.range,
    bucket,
    group: q.group,
    from: new Date(from),
    to: new Date(to),
    fromDate,
    toDate,
    projects: q.projects,
    models: q.models,
    keys: q.keys.map((k) => (k === PLAYGROUND_KEY ? "" : k)),
    buckets: bucketKeys(timeZone, bucket, from, to),
  });
}

// Only views made by resolveUsageQuery reach the database, frozen: a hand-built or edited
// view (say, one with its user filter removed) is refused rather than trusted.
const issued = new WeakSet<ResolvedUsageQuery>();

function issue(q: ResolvedUsageQuery): ResolvedUsageQuery {
  for (const v of Object.values(q)) if (Array.isArray(v)) Object.freeze(v);
  Object.freeze(q);
  issued.add(q);
  return q;
}

function checked(q: ResolvedUsageQuery): ResolvedUsageQuery {
  if (!issued.has(q)) throw new Error("Usage queries take a view made by resolveUsageQuery.");
  return q;
}

// ---- SQL ----

const GROUP_COLUMN: Record<UsageGroup, string> = { project: `"projectId"`, model: `model`, key: `"apiKeyId"`, user: `"userId"` };

const SUM_COLUMNS = ["requests", "errors", "rateLimited", "promptTokens", "cachedTokens", "completionTokens", "costMicros"] as const;

/** `sum(col)::text AS "col", …`: text, because PostgreSQL sums of bigint are numeric. */
const sumsOf = (source = "") => SUM_COLUMNS.map((c) => `sum(${source}"${c}")::text AS "${c}"`).join(", ");

/** `timestamp` parameters as UTC wall time: the rollup column has no time zone and holds UTC. */
const utc = (d: Date | number) => new Date(d).toISOString().replace("T", " ").replace("Z", "");

export type Sql = { text: string; params: unknown[] };
type Range = { from: number; to: number };

/** WHERE clause of a view over one slice of its range. */
function whereOf(q: ResolvedUsageQuery, params: unknown[], range: Range) {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds = [`"orgId" = ${p(q.orgId)}`, `hour >= ${p(utc(range.from))}::timestamp`, `hour < ${p(utc(range.to))}::timestamp`];
  if (q.userId !== null) conds.push(`"userId" = ${p(q.userId)}`);
  if (q.projects.length) conds.push(`"projectId" = ANY(${p(q.projects)}::text[])`);
  if (q.models.length) conds.push(`model = ANY(${p(q.models)}::text[])`);
  if (q.keys.length) conds.push(`"apiKeyId" = ANY(${p(q.keys)}::text[])`);
  return conds.join(" AND ");
}

/** The bucket of a rollup hour (an expression to group by) and its key's format. */
function bucketOf(q: ResolvedUsageQuery, params: unknown[]) {
  if (q.bucket === "hour") return { expr: `hour`, format: `'YYYY-MM-DD"T"HH24:00:00"Z"'` };
  // Local wall time of the hour's start; the hour counts for the local day/month it starts in.
  // (UTC needs no conversion, and an unused parameter would have no type.)
  let local = `hour`;
  if (q.timeZone !== "UTC") {
    params.push(q.timeZone);
    local = `((hour AT TIME ZONE 'UTC') AT TIME ZONE $${params.length}::text)`;
  }
  return q.bucket === "day"
    ? { expr: `date_trunc('day', ${local})`, format: `'YYYY-MM-DD'` }
    : { expr: `date_trunc('month', ${local})`, format: `'YYYY-MM'` };
}

/**
 * Sums over one slice of the view: in total, per group, or per bucket and group.
 *
 * The rows are read in a subquery fenced with OFFSET 0, which keeps each statement to one
 * process and one in-memory hash aggregate. Without it the planner derives the number of
 * (bucket, group) pairs from the hour column's statistics (thousands of times too many) and
 * sorts hundreds of thousands of rows on disk, or starts parallel workers per slice that only
 * compete with the other slices: measured with scripts/bench-usage.mjs, about half the time.
 */
export function aggregateSql(q: ResolvedUsageQuery, by: "total" | "group" | "bucket", range: Range = { from: q.from.getTime(), to: q.to.getTime() }): Sql {
  const params: unknown[] = [];
  const g = GROUP_COLUMN[q.group];
  const columns = SUM_COLUMNS.map((c) => `"${c}"`).join(", ");
  if (by === "total") {
    return { text: `SELECT ${sumsOf("x.")} FROM (SELECT ${columns} FROM "UsageRollup" WHERE ${whereOf(q, params, range)} OFFSET 0) x`, params };
  }
  if (by === "group") {
    return {
      text: `SELECT x.g AS "group", ${sumsOf("x.")}
             FROM (SELECT ${g} AS g, ${columns} FROM "UsageRollup" WHERE ${whereOf(q, params, range)} OFFSET 0) x
             GROUP BY x.g`,
      params,
    };
  }
  const b = bucketOf(q, params);
  return {
    text: `SELECT to_char(x.b, ${b.format}) AS bucket, x.g AS "group", ${sumsOf("x.")}
           FROM (SELECT ${b.expr} AS b, ${g} AS g, ${columns} FROM "UsageRollup" WHERE ${whereOf(q, params, range)} OFFSET 0) x
           GROUP BY x.b, x.g`,
    params,
  };
}

/**
 * A view's range cut into up to four slices of whole hours, queried concurrently and merged
 * here: PostgreSQL runs them on several cores (its own parallel plans for these aggregates
 * sort on disk with default settings), and PGlite, one connection, runs them in turn.
 */
export function sliceRange(q: Pick<ResolvedUsageQuery, "from" | "to">, slices?: number): Range[] {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const hours = Math.round((to - from) / HOUR_MS);
  const n = Math.max(1, Math.min(hours, slices ?? (hours <= 8 * 24 ? 1 : hours <= 31 * 24 ? 2 : 4)));
  const out: Range[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ from: from + Math.floor((hours * i) / n) * HOUR_MS, to: i === n - 1 ? to : from + Math.floor((hours * (i + 1)) / n) * HOUR_MS });
  }
  return out;
}

type SumsText = Record<(typeof SUM_COLUMNS)[number], string | number | bigint | null>;

function toNumber(v: string | number | bigint | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : Number(v);
}

function sumsFrom(row: SumsText): UsageSums {
  return {
    requests: toNumber(row.requests),
    errors: toNumber(row.errors),
    rateLimited: toNumber(row.rateLimited),
    promptTokens: toNumber(row.promptTokens),
    cachedTokens: toNumber(row.cachedTokens),
    completionTokens: toNumber(row.completionTokens),
    costMicros: toNumber(row.costMicros),
  };
}

export function addSums(a: UsageSums, b: UsageSums): UsageSums {
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    rateLimited: a.rateLimited + b.rateLimited,
    promptTokens: a.promptTokens + b.promptTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costMicros: a.costMicros + b.costMicros,
  };
}

async function run<T>(sql: Sql): Promise<T[]> {
  return (await getDatabase()).sql.query<T>(sql.text, sql.params);
}

type Row = SumsText & { bucket?: string; group?: string };

/** Runs a view's aggregate over its slices and merges them (sums are exact integers below 2^53). */
async function aggregate(q: ResolvedUsageQuery, by: "total" | "group" | "bucket"): Promise<Map<string, { bucket: string; group: string; sums: UsageSums }>> {
  const parts = await Promise.all(sliceRange(checked(q)).map((r) => run<Row>(aggregateSql(q, by, r))));
  const out = new Map<string, { bucket: string; group: string; sums: UsageSums }>();
  for (const rows of parts) {
    for (const r of rows) {
      const bucket = r.bucket ?? "";
      const group = r.group ?? "";
      const k = `${bucket}\u0000${group}`;
      const prev = out.get(k);
      out.set(k, { bucket, group, sums: prev ? addSums(prev.sums, sumsFrom(r)) : sumsFrom(r) });
    }
  }
  return out;
}

// ---- Labels ----

export const NO_USER_LABEL = "—";
export const PLAYGROUND_LABEL = "Playground";
export const OTHER_LABEL = "Other";

/** Display names of groups: project names, key names with their redacted value, users' names. */
export async function groupLabels(q: Pick<ResolvedUsageQuery, "orgId" | "group">, ids: Iterable<string>): Promise<Map<string, UsageGroupLabel>> {
  const wanted = [...new Set(ids)];
  const out = new Map<string, UsageGroupLabel>();
  const lookup = wanted.filter((id) => id !== "");
  const prisma = await db();
  if (q.group === "model") {
    for (const id of wanted) out.set(id, { label: id || "Unknown model", detail: id ? null : "Failed before a model was chosen" });
    return out;
  }
  if (q.group === "project") {
    const rows = lookup.length
      ? await prisma.project.findMany({ where: { orgId: q.orgId, id: { in: lookup } }, select: { id: true, name: true, status: true } })
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of wanted) {
      const r = byId.get(id);
      out.set(id, r ? { label: r.name, detail: r.status === "archived" ? "Archived" : null } : { label: "Deleted project", detail: id });
    }
    return out;
  }
  if (q.group === "key") {
    const rows = lookup.length
      ? await prisma.apiKey.findMany({
          where: { id: { in: lookup }, project: { orgId: q.orgId } },
          select: { id: true, name: true, redactedValue: true, revokedAt: true },
        })
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of wanted) {
      if (id === "") {
        out.set(id, { label: PLAYGROUND_LABEL, detail: "Console playground" });
        continue;
      }
      const r = byId.get(id);
      out.set(id, r ? { label: r.name, detail: r.revokedAt ? `${r.redactedValue} · revoked` : r.redactedValue } : { label: "Deleted key", detail: id });
    }
    return out;
  }
  const rows = lookup.length ? await prisma.user.findMany({ where: { id: { in: lookup } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of wanted) {
    if (id === "") {
      out.set(id, { label: NO_USER_LABEL, detail: "Service accounts and keys without an owner" });
      continue;
    }
    const r = byId.get(id);
    out.set(id, r ? { label: r.name || r.email, detail: r.name ? r.email : null } : { label: "Deleted user", detail: id });
  }
  return out;
}

/** Breakdown rows sorted by cost (then requests, then label), with labels and cost shares. */
function breakdownRows(groups: { group: string; sums: UsageSums }[], labels: Map<string, UsageGroupLabel>): UsageBreakdownRow[] {
  const totalCost = groups.reduce((a, r) => a + r.sums.costMicros, 0);
  return groups
    .map((r) => ({
      group: r.group,
      ...(labels.get(r.group) ?? { label: r.group, detail: null }),
      ...r.sums,
      share: totalCost > 0 ? r.sums.costMicros / totalCost : 0,
    }))
    .sort((a, b) => b.costMicros - a.costMicros || b.requests - a.requests || a.label.localeCompare(b.label) || a.group.localeCompare(b.group));
}

// ---- The queries ----

type Opts = { now?: Date };

const byBucketThenGroup = (a: UsageSeriesRow, b: UsageSeriesRow) =>
  a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.group === b.group ? 0 : a.group === null ? 1 : b.group === null ? -1 : a.group < b.group ? -1 : 1;

/** Sums over the whole view. */
export async function getUsageTotals(actor: Actor, orgId: string, input: UsageQueryInput, opts: Opts = {}) {
  const query = await resolveUsageQuery(actor, orgId, input, opts);
  return { query, totals: await totalsFor(query) };
}

export async function totalsFor(query: ResolvedUsageQuery): Promise<UsageSums> {
  return [...(await aggregate(query, "total")).values()].reduce((a, r) => addSums(a, r.sums), { ...ZERO_SUMS });
}

/** One row per group (the dashboard's table), sorted by cost. */
export async function getUsageBreakdown(actor: Actor, orgId: string, input: UsageQueryInput, opts: Opts = {}) {
  const query = await resolveUsageQuery(actor, orgId, input, opts);
  return { query, rows: await breakdownFor(query) };
}

export async function breakdownFor(query: ResolvedUsageQuery): Promise<UsageBreakdownRow[]> {
  const rows = [...(await aggregate(query, "group")).values()];
  return breakdownRows(rows, await groupLabels(query, rows.map((r) => r.group)));
}

/** Per bucket and group, oldest first (buckets without usage are absent; `query.buckets` lists them all). */
export async function getUsageSeries(actor: Actor, orgId: string, input: UsageQueryInput, opts: Opts = {}) {
  const query = await resolveUsageQuery(actor, orgId, input, opts);
  return { query, ...(await seriesFor(query)) };
}

export async function seriesFor(query: ResolvedUsageQuery) {
  const series: UsageSeriesRow[] = [...(await aggregate(query, "bucket")).values()].map((r) => ({ bucket: r.bucket, group: r.group, ...r.sums }));
  series.sort(byBucketThenGroup);
  const labels = await groupLabels(query, series.map((r) => r.group!));
  return { series, labels };
}

export type UsageDashboard = {
  query: ResolvedUsageQuery;
  /** Per bucket: the top groups by cost, and the rest summed as group null ("Other"). */
  series: UsageSeriesRow[];
  /** The groups the series names: the breakdown's first rows. */
  seriesGroups: string[];
  breakdown: UsageBreakdownRow[];
  totals: UsageSums;
};

/** A whole dashboard view from one pass over the rollups: series, breakdown and totals. */
export async function getUsageDashboard(actor: Actor, orgId: string, input: UsageQueryInput, opts: Opts & { topGroups?: number } = {}): Promise<UsageDashboard> {
  const query = await resolveUsageQuery(actor, orgId, input, opts);
  return dashboardFor(query, opts.topGroups);
}

export async function dashboardFor(query: ResolvedUsageQuery, topGroups = 8): Promise<UsageDashboard> {
  const cells = [...(await aggregate(query, "bucket")).values()];
  const perGroup = new Map<string, UsageSums>();
  let totals: UsageSums = { ...ZERO_SUMS };
  for (const c of cells) {
    perGroup.set(c.group, addSums(perGroup.get(c.group) ?? ZERO_SUMS, c.sums));
    totals = addSums(totals, c.sums);
  }
  const groups = [...perGroup].map(([group, sums]) => ({ group, sums }));
  const breakdown = breakdownRows(groups, await groupLabels(query, groups.map((g) => g.group)));
  // The chart stacks the table's first rows; the rest is one "Other" stack.
  const top = new Set(breakdown.slice(0, topGroups).map((r) => r.group));
  const folded = new Map<string, UsageSeriesRow>();
  for (const c of cells) {
    const group = top.has(c.group) ? c.group : null;
    const k = `${c.bucket}\u0000${group ?? "\u0001"}`;
    const prev = folded.get(k);
    folded.set(k, { bucket: c.bucket, group, ...(prev ? addSums(prev, c.sums) : c.sums) });
  }
  const series = [...folded.values()].sort(byBucketThenGroup);
  return { query, series, seriesGroups: breakdown.slice(0, topGroups).map((r) => r.group), breakdown, totals };
}

/**
 * The series in batches of consecutive buckets (a week of hours, a month of days, a year of
 * months), each one query over its own slice of the range: a long export streams with
 * bounded memory instead of materializing every row.
 */
export async function* seriesBatches(query: ResolvedUsageQuery): AsyncGenerator<UsageSeriesRow[]> {
  checked(query);
  const per = query.bucket === "hour" ? 168 : query.bucket === "day" ? 31 : 12;
  for (let i = 0; i < query.buckets.length; i += per) {
    const from = i === 0 ? query.from.getTime() : bucketStart(query.timeZone, query.bucket, query.buckets[i]);
    const next = query.buckets[i + per];
    const to = next === undefined ? query.to.getTime() : bucketStart(query.timeZone, query.bucket, next);
    if (to <= from) continue;
    const rows = await run<Row & { bucket: string; group: string }>(aggregateSql(query, "bucket", { from, to }));
    yield rows.map((r) => ({ bucket: r.bucket, group: r.group, ...sumsFrom(r) })).sort(byBucketThenGroup);
  }
}

export type UsageFilterOptions = {
  projects: { id: string; name: string; archived: boolean }[];
  models: string[];
  keys: { id: string; name: string; detail: string | null }[];
};

/**
 * What the filters offer: the organization's projects (a reader's own projects), the API keys
 * of the view's scope (all of the organization's, or the user's own), and the models of the
 * catalog plus `seenModels` (those the view found). Models come from the catalog rather than
 * a scan of the rollups: a second pass over a long range would cost as much as the view.
 * Values already in the URL stay listed even when nothing matches them any more.
 */
export async function usageFilterOptions(actor: Actor, query: ResolvedUsageQuery, seenModels: Iterable<string> = []): Promise<UsageFilterOptions> {
  checked(query);
  const prisma = await db();
  const [projects, keys, catalog] = await Promise.all([
    prisma.project.findMany({
      where: { orgId: query.orgId, ...(query.role === "owner" ? {} : { OR: [{ memberships: { some: { userId: actor.userId } } }, { id: { in: query.projects } }] }) },
      orderBy: [{ status: "asc" }, { name: "asc" }],
      select: { id: true, name: true, status: true },
      take: 500,
    }),
    prisma.apiKey.findMany({
      where: {
        project: { orgId: query.orgId },
        ...(query.userId !== null ? { OR: [{ ownerUserId: query.userId }, { id: { in: query.keys } }] } : {}),
      },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
      select: { id: true, name: true, redactedValue: true, revokedAt: true },
      take: 500,
    }),
    prisma.model.findMany({ select: { id: true }, orderBy: { id: "asc" }, take: 500 }),
  ]);
  const models = [...new Set([...catalog.map((m) => m.id), ...seenModels, ...query.models])].filter(Boolean).sort();
  return {
    projects: projects.map((p) => ({ id: p.id, name: p.name, archived: p.status === "archived" })),
    models,
    keys: [
      { id: PLAYGROUND_KEY, name: PLAYGROUND_LABEL, detail: "Console playground" },
      ...keys.map((k) => ({ id: k.id, name: k.name, detail: k.revokedAt ? `${k.redactedValue} · revoked` : k.redactedValue })),
    ],
  };
}
