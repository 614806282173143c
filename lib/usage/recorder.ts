import "server-only";
import { getDatabase } from "@/lib/db";
import { log } from "@/lib/log";
import { spendWritten } from "@/lib/billing/spend-guard";

// Usage events are buffered in memory and written in batches off the request path, together
// with their hourly rollups, in one statement per batch (so rollups always equal the events).
// What a hard crash can lose: the buffer, i.e. at most FLUSH_INTERVAL_MS of events (or
// MAX_BATCH events). SIGTERM/SIGINT flush it first (lib/boot.ts).

export type UsageEventInput = {
  requestId: string;
  createdAt?: Date;
  orgId: string;
  projectId: string;
  apiKeyId: string | null;
  userId: string | null;
  endpoint: string;
  model: string;
  provider: string | null;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costMicros: bigint;
  latencyMs: number;
  ttftMs: number | null;
  status: number;
  errorCode: string | null;
  streamed: boolean;
  cancelled: boolean;
};

const FLUSH_INTERVAL_MS = 1_000;
const MAX_BATCH = 1_000;
/** After a failed write (database unreachable), writes wait this long unless asked for (shutdown). */
const RETRY_MS = FLUSH_INTERVAL_MS * 5;
/** Beyond this many unwritten events (database down for long) the oldest are dropped and counted. */
const MAX_BUFFERED = 100_000;

type State = {
  buffer: UsageEventInput[];
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  /** While the database is failing: no automatic write before this time (ms since the epoch). */
  retryAt: number;
  written: number;
  dropped: number;
  failures: number;
};
const g = globalThis as unknown as { __gatehouseUsage?: State };
const state = () => (g.__gatehouseUsage ??= { buffer: [], timer: null, flushing: null, retryAt: 0, written: 0, dropped: 0, failures: 0 });

/** PostgreSQL text cannot hold NUL, and ids come from clients: keep them storable and short. */
function clean<T extends string | null>(value: T, max = 256): T {
  return (typeof value === "string" ? value.replace(/\u0000/g, "").slice(0, max) : value) as T;
}

export function recordUsage(event: UsageEventInput) {
  const s = state();
  s.buffer.push({
    ...event,
    model: clean(event.model),
    endpoint: clean(event.endpoint),
    provider: clean(event.provider),
    errorCode: clean(event.errorCode),
    createdAt: event.createdAt ?? new Date(),
  });
  if (s.buffer.length > MAX_BUFFERED) {
    const excess = s.buffer.length - MAX_BUFFERED;
    s.buffer.splice(0, excess);
    s.dropped += excess;
    log.error("usage buffer full; oldest events dropped", { dropped: excess });
  }
  if (s.buffer.length >= MAX_BATCH && !s.flushing && Date.now() >= s.retryAt) void flush(true);
  else if (!s.timer) flushLater(FLUSH_INTERVAL_MS);
}

function flushLater(ms: number) {
  const s = state();
  s.timer = setTimeout(() => {
    s.timer = null;
    void flush(true);
  }, ms);
  s.timer.unref();
}

export function usageStats() {
  const s = state();
  return { buffered: s.buffer.length, written: s.written, dropped: s.dropped, failures: s.failures };
}

/** Writes everything buffered so far; resolves when it is in the database (or failed and re-queued). */
export function flushUsage(): Promise<void> {
  return flush(false);
}

/**
 * An event the database refuses for what it holds (SQLSTATE class 22, data exception, or 23,
 * integrity): writing it again will not help. Anything else (no connection, a missing table)
 * is the database's trouble, not the event's.
 */
function refusesEvent(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/** `automatic`: from the timer or a full buffer, which wait out a failing database (RETRY_MS). */
async function flush(automatic: boolean): Promise<void> {
  const s = state();
  while (s.flushing) await s.flushing;
  if (!s.buffer.length || (automatic && Date.now() < s.retryAt)) return;
  const run = (async () => {
    while (s.buffer.length) {
      const batch = s.buffer.splice(0, MAX_BATCH);
      try {
        await writeBatch(batch);
        s.written += batch.length;
        s.retryAt = 0;
        spendWritten(batch);
      } catch (err) {
        // One unwritable event must not hold back the rest: write them one by one and drop
        // only those the database refuses for what they hold. A failure of any other kind
        // means the database itself is failing: keep the rest and try again later.
        const refused: UsageEventInput[] = [];
        let failing: { error: unknown; from: number } | null = null;
        for (let i = 0; i < batch.length; i++) {
          try {
            await writeBatch([batch[i]]);
            s.written += 1;
            spendWritten([batch[i]]);
          } catch (error) {
            if (!refusesEvent(error)) {
              failing = { error, from: i };
              break;
            }
            refused.push(batch[i]);
          }
        }
        if (refused.length) {
          s.dropped += refused.length;
          // Never to be written: the spend guard must not wait for them.
          spendWritten(refused);
          log.error("usage events dropped: they cannot be stored", { dropped: refused.length, error: (err as Error).message, requestIds: refused.map((e) => e.requestId).slice(0, 10) });
        }
        if (!failing) continue;
        // Put the rest back in front and try again after RETRY_MS (or when asked, at shutdown).
        s.buffer.unshift(...batch.slice(failing.from));
        s.failures += 1;
        s.retryAt = Date.now() + RETRY_MS;
        log.error("usage flush failed; will retry", { error: (failing.error as Error).message, events: batch.length - failing.from });
        if (s.timer) clearTimeout(s.timer);
        flushLater(RETRY_MS);
        return;
      }
    }
  })();
  s.flushing = run;
  try {
    await run;
  } finally {
    s.flushing = null;
  }
}

// Each event column with its SQL type: a batch is sent as one array parameter per column.
const EVENT_COLUMNS = [
  ["requestId", "text"], ["createdAt", "timestamp(3)"], ["orgId", "text"], ["projectId", "text"], ["apiKeyId", "text"],
  ["userId", "text"], ["endpoint", "text"], ["model", "text"], ["provider", "text"], ["promptTokens", "int"],
  ["cachedTokens", "int"], ["completionTokens", "int"], ["costMicros", "bigint"], ["latencyMs", "int"], ["ttftMs", "int"],
  ["status", "int"], ["errorCode", "text"], ["streamed", "boolean"], ["cancelled", "boolean"],
] as const;

const ROLLUP_COLUMNS = [
  ["hour", "timestamp(3)"], ["orgId", "text"], ["projectId", "text"], ["apiKeyId", "text"], ["userId", "text"], ["model", "text"],
  ["requests", "int"], ["errors", "int"], ["rateLimited", "int"], ["promptTokens", "bigint"], ["cachedTokens", "bigint"],
  ["completionTokens", "bigint"], ["costMicros", "bigint"],
] as const;
const SUMMED = ROLLUP_COLUMNS.slice(6).map(([c]) => c);

/** A column's values as a PostgreSQL array parameter (text elements; the statement casts them). */
function column(values: unknown[]): (string | null)[] {
  return values.map((v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === "boolean" ? (v ? "t" : "f") : String(v)));
}

const unnest = (cols: readonly (readonly [string, string])[], offset: number) =>
  `SELECT * FROM unnest(${cols.map(([, type], i) => `$${offset + i + 1}::text[]::${type}[]`).join(", ")})`;

// One statement writes the events and their rollups, so both land or neither does, without an
// interactive transaction; a fixed number of parameters (one array per column) keeps a batch of
// a thousand events as cheap to send as a batch of one.
const BATCH_SQL = `WITH events AS (
  INSERT INTO "UsageEvent" (${EVENT_COLUMNS.map(([c]) => `"${c}"`).join(",")})
  ${unnest(EVENT_COLUMNS, 0)}
)
INSERT INTO "UsageRollup" (${ROLLUP_COLUMNS.map(([c]) => `"${c}"`).join(",")})
${unnest(ROLLUP_COLUMNS, EVENT_COLUMNS.length)}
ON CONFLICT ("hour","orgId","projectId","apiKeyId","userId","model") DO UPDATE SET
  ${SUMMED.map((c) => `"${c}" = "UsageRollup"."${c}" + EXCLUDED."${c}"`).join(",\n  ")}`;

function hourOf(d: Date) {
  const h = new Date(d);
  h.setUTCMinutes(0, 0, 0);
  return h;
}

type RollupRow = {
  hour: Date; orgId: string; projectId: string; apiKeyId: string; userId: string; model: string;
  requests: number; errors: number; rateLimited: number;
  promptTokens: bigint; cachedTokens: bigint; completionTokens: bigint; costMicros: bigint;
};

export function rollupsOf(events: UsageEventInput[]): RollupRow[] {
  const map = new Map<string, RollupRow>();
  for (const e of events) {
    const hour = hourOf(e.createdAt ?? new Date());
    const apiKeyId = e.apiKeyId ?? "";
    const userId = e.userId ?? "";
    const k = `${hour.toISOString()}|${e.orgId}|${e.projectId}|${apiKeyId}|${userId}|${e.model}`;
    let r = map.get(k);
    if (!r) {
      r = { hour, orgId: e.orgId, projectId: e.projectId, apiKeyId, userId, model: e.model, requests: 0, errors: 0, rateLimited: 0, promptTokens: 0n, cachedTokens: 0n, completionTokens: 0n, costMicros: 0n };
      map.set(k, r);
    }
    r.requests += 1;
    if (e.status >= 400) r.errors += 1;
    if (e.status === 429) r.rateLimited += 1;
    r.promptTokens += BigInt(e.promptTokens);
    r.cachedTokens += BigInt(e.cachedTokens);
    r.completionTokens += BigInt(e.completionTokens);
    r.costMicros += e.costMicros;
  }
  return [...map.values()];
}

async function writeBatch(batch: UsageEventInput[]) {
  const database = await getDatabase();
  const rollups = rollupsOf(batch);
  const params = [
    ...EVENT_COLUMNS.map(([c]) => column(batch.map((e) => e[c as keyof UsageEventInput]))),
    ...ROLLUP_COLUMNS.map(([c]) => column(rollups.map((r) => r[c as keyof RollupRow]))),
  ];
  await database.sql.query(BATCH_SQL, params);
}
