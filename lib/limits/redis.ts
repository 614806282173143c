import "server-only";
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { log } from "@/lib/log";
import {
  bucketOf,
  buildState,
  CODE,
  MINUTE,
  normalizeLimits,
  normalizeTokens,
  rejection,
  unknownState,
  type Code,
  type Outcome,
  type Usage,
} from "./outcome";
import type { Admission, LimitSpec, RateLimiter, Reservation } from "./types";

// Shared limiter for several processes. Each admit is one Lua script that trims, checks and
// counts every window of the scope atomically, on Redis' own clock (TIME), so instances with
// skewed clocks agree and concurrent requests from any number of processes never overshoot.
//
// Layout: one hash per scope and window, both keys carrying the scope as a hash tag so they
// live in the same cluster slot:
//   {prefix}{scope}:m   minute window, 1 s buckets: r<bucket> requests, t<bucket> tokens
//   {prefix}{scope}:d   day window, 1 min buckets: r<bucket> requests
// plus running totals R and T, `lo` (oldest bucket that may still hold counts) and `hi`
// (newest bucket holding counts). Totals make a check O(1); buckets are trimmed as they
// leave the window (amortised O(1)), and the key expires when its newest bucket leaves.
// A minute hash stays under 128 fields (61 buckets × 2 + 4), so Redis keeps it compact.
// Window rules are the ones in outcome.ts: bucket b counts until (b+1)*B + W.

const ADMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rpm, tpm, rpd, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

-- Loads a window's totals, forgetting buckets that have left it.
local function open(key, B, W)
  local cur = math.floor(now / B)
  local first = cur - W / B
  local w = { key = key, B = B, W = W, cur = cur, lo = cur, hi = -1, R = 0, T = 0 }
  local v = redis.call('HMGET', key, 'lo', 'hi', 'R', 'T')
  if not v[1] then return w end
  local lo, hi = tonumber(v[1]), tonumber(v[2])
  if hi < first then
    redis.call('DEL', key)
    return w
  end
  w.hi, w.R, w.T = hi, tonumber(v[3]), tonumber(v[4])
  if lo < first then
    for b = lo, first - 1 do
      local r = redis.call('HGET', key, 'r' .. b)
      if r then
        w.R = w.R - tonumber(r)
        w.T = w.T - tonumber(redis.call('HGET', key, 't' .. b) or '0')
        redis.call('HDEL', key, 'r' .. b, 't' .. b)
      end
    end
    -- Start the next scans at the oldest bucket that holds counts (hi does), so a refusal's
    -- wait() does not walk empty minutes; lo only moves forward, so this is amortised O(1).
    lo = first
    while lo < hi and redis.call('HEXISTS', key, 'r' .. lo) == 0 do lo = lo + 1 end
    redis.call('HSET', key, 'lo', lo, 'R', w.R, 'T', w.T)
  end
  w.lo = lo
  return w
end

-- ms until the oldest buckets holding 'need' requests (or tokens) have left the window.
local function wait(w, field, need)
  local freed = 0
  for b = w.lo, w.hi do
    local c = redis.call('HGET', w.key, field .. b)
    if c then
      freed = freed + tonumber(c)
      if freed >= need then return (b + 1) * w.B + w.W - now end
    end
  end
  return (w.hi + 1) * w.B + w.W - now
end

local function count(w, tok)
  redis.call('HINCRBY', w.key, 'r' .. w.cur, 1)
  if tok > 0 then redis.call('HINCRBY', w.key, 't' .. w.cur, tok) end
  w.R, w.T = w.R + 1, w.T + tok
  if w.hi < w.cur then w.hi = w.cur end
  if w.cur < w.lo then w.lo = w.cur end
  redis.call('HSET', w.key, 'lo', w.lo, 'hi', w.hi, 'R', w.R, 'T', w.T)
  redis.call('PEXPIRE', w.key, (w.hi + 1) * w.B + w.W - now)
end

local m, d
if rpm >= 0 or tpm >= 0 then m = open(KEYS[1], 1000, 60000) end
if rpd >= 0 then d = open(KEYS[2], 60000, 86400000) end

-- Every configured limit is checked; the failing one with the longest wait is reported.
local code, large, retry, used = 0, 0, 0, 0
local function refuse(c, u, l, r)
  if code == 0 or r > retry then code, used, large, retry = c, u, l, r end
end
if tpm >= 0 and tokens > tpm then refuse(2, m.T, 1, 0)
elseif rpm == 0 then refuse(1, m.R, 1, 0)
elseif rpd == 0 then refuse(3, d.R, 1, 0)
else
  if rpm >= 0 and m.R + 1 > rpm then refuse(1, m.R, 0, wait(m, 'r', m.R + 1 - rpm)) end
  if tpm >= 0 and m.T + tokens > tpm then refuse(2, m.T, 0, wait(m, 't', m.T + tokens - tpm)) end
  if rpd >= 0 and d.R + 1 > rpd then refuse(3, d.R, 0, wait(d, 'r', d.R + 1 - rpd)) end
end
if code == 0 then
  if m then count(m, tokens) end
  if d then count(d, 0) end
end

local mr, mt, mh, dr, dh = -1, -1, -1, -1, -1
if m then mr, mt, mh = m.R, m.T, m.hi end
if d then dr, dh = d.R, d.hi end
return { code, large, retry, used, now, mr, mt, mh, dr, dh }
`;

// Replaces the tokens counted in one minute bucket; a bucket that has left the window (or
// was trimmed) is not touched.
const RECONCILE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = tonumber(ARGV[1])
if (b + 1) * 1000 + 60000 <= now then return 0 end
if redis.call('HEXISTS', KEYS[1], 'r' .. b) == 0 then return 0 end
local old = tonumber(redis.call('HGET', KEYS[1], 't' .. b) or '0')
local new = math.max(0, old + tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 't' .. b, new)
redis.call('HINCRBY', KEYS[1], 'T', new - old)
return 1
`;

export type Script = { lua: string; sha: string };
export const script = (lua: string): Script => ({ lua, sha: crypto.createHash("sha1").update(lua).digest("hex") });
const ADMIT = script(ADMIT_LUA);
const RECONCILE = script(RECONCILE_LUA);

/** EVALSHA, loading the script with EVAL when this Redis has not seen it yet (or restarted). */
export async function run(client: Redis, s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(s.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("NOSCRIPT")) return client.eval(s.lua, keys.length, ...keys, ...args);
    throw err;
  }
}

// ---- failures: fail open, count, warn at most once a minute ----

type ErrorStats = { count: number; lastWarnAt: number; unreported: number };
const g = globalThis as unknown as { __gatehouseRateLimiterErrors?: ErrorStats };
const errorStats = () => (g.__gatehouseRateLimiterErrors ??= { count: 0, lastWarnAt: -Infinity, unreported: 0 });

/** Admits and reconciles that could not reach Redis since the process started (for /metrics). */
export function rateLimiterErrors(): number {
  return errorStats().count;
}


function warn(err: unknown, op: string) {
  const s = errorStats();
  const now = Date.now();
  if (now - s.lastWarnAt < 60_000) {
    s.unreported++;
    return;
  }
  log.warn("rate limiter: Redis unavailable; admitting requests without counting them", {
    op,
    error: describeRedisError(err),
    unreportedSinceLastWarning: s.unreported,
    errorsTotal: s.count,
  });
  s.lastWarnAt = now;
  s.unreported = 0;
}

function failed(err: unknown, op: "admit" | "reconcile") {
  errorStats().count++;
  warn(err, op);
}

const DOWN = new Error("Redis connection is down; waiting to reconnect");

/**
 * A Redis client for checks on the request path (rate limits, spend): it connects on first use,
 * never at import or build time, and answers quickly or not at all: no command waits behind a
 * reconnect (the caller then decides without Redis).
 */
export function requestPathRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** An error's text without any URL in it (client errors name hosts and ports; never credentials). */
export const describeRedisError = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\b\w+:\/\/\S+/g, "<url>");

export function createRedisRateLimiter(opts: { url?: string; client?: Redis; prefix?: string }): RateLimiter {
  const prefix = opts.prefix ?? "gatehouse:rl:";
  const owned = !opts.client;
  if (!opts.client && !opts.url) throw new Error("createRedisRateLimiter needs a url or a client");
  const client = opts.client ?? requestPathRedis(opts.url!);

  // While the connection is down, admit at once instead of queueing behind a reconnect;
  // the client keeps reconnecting in the background and `ready` resumes counting.
  let down = false;
  const onReady = () => {
    if (down) log.info("rate limiter: Redis reachable again; counting requests", { errorsTotal: errorStats().count });
    down = false;
  };
  const onClose = () => {
    down = true;
  };
  const onError = (err: unknown) => warn(err, "connect");
  client.on("ready", onReady);
  client.on("close", onClose);
  if (owned) client.on("error", onError);
  const usable = () => client.status === "ready" || (!down && client.status !== "end");

  const key = (scope: string, w: "m" | "d") => `${prefix}{${scope}}:${w}`;
  // Reservations whose tokens were not counted (no minute limit, or Redis was down):
  // reconciling them has nothing to adjust, so skip the round trip.
  const uncounted = new WeakSet<Reservation>();

  function openAdmission(scope: string, l: LimitSpec, tokens: number, known: boolean): Admission {
    const now = Date.now();
    const reservation: Reservation = { scope, tokens, at: bucketOf(MINUTE, now) * MINUTE.bucketMs };
    uncounted.add(reservation);
    const state = known ? buildState(l, { now, minute: null, day: null }) : unknownState(l);
    return { allowed: true, state, reservation };
  }

  return {
    async admit(scope: string, limits: LimitSpec, tokens: number): Promise<Admission> {
      const l = normalizeLimits(limits);
      const t = normalizeTokens(tokens);
      if (l.rpm === null && l.tpm === null && l.rpd === null) return openAdmission(scope, l, t, true);
      if (!usable()) {
        failed(DOWN, "admit");
        return openAdmission(scope, l, t, false);
      }
      let reply: unknown;
      try {
        reply = await run(client, ADMIT, [key(scope, "m"), key(scope, "d")], [l.rpm ?? -1, l.tpm ?? -1, l.rpd ?? -1, t]);
      } catch (err) {
        failed(err, "admit");
        return openAdmission(scope, l, t, false);
      }
      const [code, large, retry, used, now, mr, mt, mh, dr, dh] = (reply as unknown[]).map(Number);
      const usage = (r: number, tk: number, h: number): Usage | null =>
        r < 0 ? null : { requests: r, tokens: tk, newest: h < 0 ? null : h };
      const o: Outcome = {
        code: code as Code,
        tooLarge: large === 1,
        retryMs: retry,
        used,
        now,
        minute: usage(mr, mt, mh),
        day: usage(dr, 0, dh),
      };
      if (o.code !== CODE.ok) return rejection(l, t, o);
      const reservation: Reservation = { scope, tokens: t, at: bucketOf(MINUTE, now) * MINUTE.bucketMs };
      if (!o.minute) uncounted.add(reservation);
      return { allowed: true, state: buildState(l, o), reservation };
    },

    async reconcile(reservation: Reservation, actualTokens: number) {
      const actual = normalizeTokens(actualTokens);
      const delta = actual - reservation.tokens;
      if (uncounted.has(reservation) || delta === 0) {
        reservation.tokens = actual;
        return;
      }
      if (!usable()) return failed(DOWN, "reconcile");
      try {
        await run(client, RECONCILE, [key(reservation.scope, "m")], [bucketOf(MINUTE, reservation.at), delta]);
        reservation.tokens = actual;
      } catch (err) {
        // The counted tokens are unchanged, and so is the reservation: a later reconcile can still apply.
        failed(err, "reconcile");
      }
    },

    async close() {
      client.off("ready", onReady);
      client.off("close", onClose);
      if (!owned) return;
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
      client.off("error", onError);
    },
  };
}
