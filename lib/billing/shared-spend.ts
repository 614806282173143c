import "server-only";
import crypto from "node:crypto";
import { log } from "@/lib/log";
import { describeRedisError, requestPathRedis, run, script } from "@/lib/limits/redis";

// What the spend guard's instances tell each other through Redis (REDIS_URL), so that a hard
// cap or the prepaid credit holds for all of them together, not for each one alone.
//
// One hash per spend scope (an organization's credit, its budget of a month, a project's
// budget of a month), tagged with the organization so one request's scopes share a slot:
//   p:<instance>  what that instance has in flight: reservations plus spend settled and not
//                 yet written to the database (set by that instance only, as an absolute value)
//   t:<instance>  when it last set it (Redis time, ms); an instance silent for STALE_MS has
//                 stopped or crashed, and its figure is dropped
//   f             spend written to the database by any instance since the key was made
// An instance reads `f` before it reads a scope's spend from the database (its snapshot).
// What the scope may still spend is then
//   limit − snapshot − (f now − f at the snapshot) − Σ p of every live instance
// (spend written between the two reads is counted twice until the next snapshot: the guard
// errs on the side of refusing). Each admission checks that and sets the instance's own p in
// one script, so no two instances can both take the last of a budget.

const STALE_MS = 30_000;
/** Live instances re-state what they have in flight this often, so others do not drop it. */
export const HEARTBEAT_MS = 5_000;
/** Keys outlive their month by a few days, then expire. */
const TTL_MS = 40 * 24 * 3600 * 1000;

const ADMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local me = ARGV[1]
-- Each scope: limit left at the snapshot, f at the snapshot, this instance's p with the request.
for i = 1, #KEYS do
  local left, fsnap, mine = tonumber(ARGV[i * 3 - 1]), tonumber(ARGV[i * 3]), tonumber(ARGV[i * 3 + 1])
  local h = redis.call('HGETALL', KEYS[i])
  local others, f = 0, 0
  local p, at = {}, {}
  for j = 1, #h, 2 do
    local k, v = h[j], h[j + 1]
    if k == 'f' then f = tonumber(v)
    elseif string.sub(k, 1, 2) == 'p:' then p[string.sub(k, 3)] = tonumber(v)
    elseif string.sub(k, 1, 2) == 't:' then at[string.sub(k, 3)] = tonumber(v) end
  end
  for id, v in pairs(p) do
    if id ~= me then
      if (at[id] or 0) < now - ${STALE_MS} then redis.call('HDEL', KEYS[i], 'p:' .. id, 't:' .. id)
      else others = others + v end
    end
  end
  -- A key that expired and was made again since the snapshot: all of its f is new.
  local written = f - fsnap
  if written < 0 then written = f end
  local rest = left - written - others - mine
  if rest < 0 then return i end
end
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], 'p:' .. me, ARGV[i * 3 + 1], 't:' .. me, now)
  redis.call('PEXPIRE', KEYS[i], ${TTL_MS})
end
return 0
`;

// Sets this instance's p on each scope, and adds written spend to f (ARGV: me, then pairs).
const STATE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #KEYS do
  local written = tonumber(ARGV[i * 2 + 1])
  if written > 0 then redis.call('HINCRBY', KEYS[i], 'f', written) end
  redis.call('HSET', KEYS[i], 'p:' .. ARGV[1], ARGV[i * 2], 't:' .. ARGV[1], now)
  redis.call('PEXPIRE', KEYS[i], ${TTL_MS})
end
return 0
`;

const ADMIT = script(ADMIT_LUA);
const STATE = script(STATE_LUA);

export type SharedScope = { key: string; left: bigint; fAtSnapshot: bigint; pending: bigint };

export type SharedSpend = {
  /** 0 when every scope has room (and this instance's figures are now set), else the 1-based index of the first that has not. */
  admit(scopes: SharedScope[]): Promise<number>;
  /** States this instance's in-flight spend per scope and adds what it wrote to `f`. */
  state(updates: { key: string; pending: bigint; written: bigint }[]): Promise<void>;
  /** Current `f` of a scope (read before a snapshot). */
  flushed(key: string): Promise<bigint>;
  /** The Redis key of one of an organization's scopes ("credit", "org:<id>:YYYY-MM", "project:<id>:YYYY-MM"). */
  keyOf(orgId: string, scope: string): string;
  close(): Promise<void>;
};

export function createSharedSpend(url: string, prefix = "gatehouse:spend:"): SharedSpend {
  const me = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  // Without Redis the guard decides alone (see spend-guard.ts).
  const client = requestPathRedis(url);
  // At most one warning a minute.
  let lastWarnAt = -Infinity;
  const warn = (err: unknown) => {
    if (Date.now() - lastWarnAt < 60_000) return;
    lastWarnAt = Date.now();
    log.warn("spend guard: Redis unavailable; each instance checks spend on its own until it is back", { error: describeRedisError(err) });
  };
  client.on("error", warn);
  const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      warn(err);
      throw err;
    }
  };
  return {
    keyOf: (orgId, scope) => `${prefix}{org:${orgId}}:${scope}`,
    async admit(scopes) {
      const args: string[] = [me];
      for (const s of scopes) args.push(String(s.left), String(s.fAtSnapshot), String(s.pending));
      return Number(await guarded(() => run(client, ADMIT, scopes.map((s) => s.key), args)));
    },
    async state(updates) {
      if (!updates.length) return;
      const args: string[] = [me];
      for (const u of updates) args.push(String(u.pending), String(u.written));
      await guarded(() => run(client, STATE, updates.map((u) => u.key), args));
    },
    async flushed(key) {
      return BigInt((await guarded(() => client.hget(key, "f"))) ?? 0);
    },
    async close() {
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
