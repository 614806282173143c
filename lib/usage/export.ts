import "server-only";
import type { Actor } from "@/lib/auth/access";
import { csvLine, microsToDollars } from "./csv";
import type { UsageQueryInput } from "./params";
import { breakdownFor, groupLabels, resolveUsageQuery, seriesBatches, type ResolvedUsageQuery, type UsageGroupLabel } from "./queries";
import { localIso } from "./time";

// CSV exports of the usage dashboard: the breakdown table (one line per group, exactly the
// table's rows) or, with rows=series, the time series. Lines are produced by async
// generators; the series pulls one slice of buckets at a time, so an export of a year of
// hours streams instead of being built in memory.

export type UsageExportRows = "breakdown" | "series";

export const BREAKDOWN_CSV_HEADER = [
  "group", "detail", "group_id", "requests", "errors", "rate_limited",
  "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "cost_share_percent",
] as const;

export const SERIES_CSV_HEADER = [
  "bucket", "group", "detail", "group_id", "requests", "errors", "rate_limited",
  "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd",
] as const;

/** The share as a percentage with two decimals ("12.34"). */
export function sharePercent(share: number): string {
  return (Math.round(share * 10_000) / 100).toFixed(2);
}

export async function* breakdownCsv(query: ResolvedUsageQuery): AsyncGenerator<string> {
  yield csvLine([...BREAKDOWN_CSV_HEADER]);
  for (const r of await breakdownFor(query)) {
    yield csvLine([
      r.label, r.detail ?? "", r.group, r.requests, r.errors, r.rateLimited,
      r.promptTokens, r.cachedTokens, r.completionTokens, microsToDollars(r.costMicros), sharePercent(r.share),
    ]);
  }
}

export async function* seriesCsv(query: ResolvedUsageQuery): AsyncGenerator<string> {
  yield csvLine([...SERIES_CSV_HEADER]);
  const labels = new Map<string, UsageGroupLabel>();
  for await (const batch of seriesBatches(query)) {
    const unknown = batch.map((r) => r.group!).filter((g) => !labels.has(g));
    if (unknown.length) for (const [id, l] of await groupLabels(query, unknown)) labels.set(id, l);
    let chunk = "";
    for (const r of batch) {
      const l = labels.get(r.group!) ?? { label: r.group!, detail: null };
      // Hourly rows carry their local time with its offset: unambiguous across DST changes.
      const bucket = query.bucket === "hour" ? localIso(query.timeZone, Date.parse(r.bucket)) : r.bucket;
      chunk += csvLine([
        bucket, l.label, l.detail ?? "", r.group, r.requests, r.errors, r.rateLimited,
        r.promptTokens, r.cachedTokens, r.completionTokens, microsToDollars(r.costMicros),
      ]);
    }
    if (chunk) yield chunk;
  }
}

function slug(name: string) {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

/** `usage-<org>-<from>-<to>.csv` (`-series` before the extension for the time series). */
export function exportFilename(query: ResolvedUsageQuery, rows: UsageExportRows) {
  const org = slug(query.orgName) || query.orgId;
  return `usage-${org}-${query.fromDate}-${query.toDate}${rows === "series" ? "-series" : ""}.csv`;
}

/**
 * Checks access and input first (so problems become an HTTP status before any byte is sent),
 * then hands back the file name and the generator of CSV text.
 */
export async function prepareUsageExport(actor: Actor, orgId: string, input: UsageQueryInput, opts: { rows: UsageExportRows; now?: Date }) {
  const query = await resolveUsageQuery(actor, orgId, input, { now: opts.now });
  return {
    query,
    filename: exportFilename(query, opts.rows),
    lines: opts.rows === "series" ? seriesCsv(query) : breakdownCsv(query),
  };
}

/** A byte stream that pulls the next chunk only when the client is ready for it. */
export function csvStream(lines: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await lines.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (err) {
          controller.error(err);
        }
      },
      async cancel() {
        await lines.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
