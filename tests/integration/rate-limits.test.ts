import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import {
  createMemoryRateLimiter,
  createRedisRateLimiter,
  getRateLimiter,
  rateLimiterErrors,
  rateLimitHeaders,
  type Admission,
  type RateLimiter,
  type Reservation,
} from "@/lib/limits/rate-limiter";
import { captureLogs } from "../helpers/log-capture";

// Runs against the machine's Redis; every key lives under a prefix unique to this run and is
// deleted at the end.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `gatehouse-test:rl:${crypto.randomUUID()}:`;
const scope = (label: string) => `org_test:proj_test:${label}-${crypto.randomBytes(4).toString("hex")}`;

function allowed(a: Admission): Extract<Admission, { allowed: true }> {
  assert.ok(a.allowed, `expected the request to be admitted, got: ${a.allowed ? "" : a.message}`);
  return a;
}
function refused(a: Admission): Extract<Admission, { allowed: false }> {
  assert.ok(!a.allowed, "expected the request to be refused");
  return a;
}
function within(actual: number, lo: number, hi: number, what: string) {
  assert.ok(actual >= lo && actual <= hi, `${what}: ${actual} not in [${lo}, ${hi}]`);
}

/**
 * The limiter under test and its clock. For memory the clock is injected and only moves when
 * a test moves it; for Redis it is the server's TIME, read before and after a call, so
 * expectations computed from it are ranges [lo, hi].
 */
type Backend = {
  name: "memory" | "redis";
  limiter: RateLimiter;
  /** Runs `fn` and returns its result with the limiter's clock just before and after it. */
  timed<T>(fn: () => Promise<T>): Promise<{ value: T; lo: number; hi: number }>;
};

let redis: Redis;
let redisOther: Redis;
before(async () => {
  redis = new Redis(REDIS_URL);
  redisOther = new Redis(REDIS_URL);
  await Promise.all([redis.ping(), redisOther.ping()]);
});
after(async () => {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await Promise.all([redis.quit(), redisOther.quit()]);
});

async function serverNow(client: Redis): Promise<number> {
  const [s, us] = await client.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

const T0 = 1_700_000_000_500; // half a second into a 1-second bucket

function memoryBackend(): Backend & { clock: { t: number } } {
  const clock = { t: T0 };
  const limiter = createMemoryRateLimiter({ now: () => clock.t });
  return {
    name: "memory",
    limiter,
    clock,
    async timed(fn) {
      const lo = clock.t;
      const value = await fn();
      return { value, lo, hi: clock.t };
    },
  };
}

function redisBackend(): Backend {
  const limiter = createRedisRateLimiter({ client: redis, prefix: PREFIX });
  return {
    name: "redis",
    limiter,
    async timed(fn) {
      const lo = await serverNow(redis);
      const value = await fn();
      const hi = await serverNow(redis);
      return { value, lo, hi };
    },
  };
}

for (const kind of ["memory", "redis"] as const) {
  describe(`rate limits (${kind})`, () => {
    let b: Backend;
    before(() => {
      b = kind === "memory" ? memoryBackend() : redisBackend();
    });
    after(() => b.limiter.close());

    it("admits exactly the RPM limit, counting down remaining requests", async () => {
      const s = scope("rpm");
      const results = await Promise.all(Array.from({ length: 20 }, () => b.limiter.admit(s, { rpm: 5, tpm: null, rpd: null }, 10)));
      const ok = results.filter((r) => r.allowed);
      assert.equal(ok.length, 5);
      assert.deepEqual(ok.map((r) => r.state.remainingRequests).sort(), [0, 1, 2, 3, 4]);
      for (const r of ok) {
        assert.equal(r.state.limitRequests, 5);
        assert.equal(r.state.limitTokens, null, "no TPM limit, no token state");
      }
      for (const r of results.filter((x) => !x.allowed)) {
        const no = refused(r);
        assert.equal(no.kind, "requests");
        assert.equal(no.state.remainingRequests, 0);
      }
    });

    it("says which limit was reached and when to retry: the oldest request's bucket leaves the window", async () => {
      const s = scope("retry");
      const limits = { rpm: 3, tpm: null, rpd: null };
      const first = allowed(await b.limiter.admit(s, limits, 0));
      allowed(await b.limiter.admit(s, limits, 0));
      allowed(await b.limiter.admit(s, limits, 0));
      const { value, lo, hi } = await b.timed(() => b.limiter.admit(s, limits, 0));
      const no = refused(value);
      assert.equal(no.kind, "requests");
      assert.match(no.message, /^Rate limit reached for requests per min \(RPM\): Limit 3, Used 3, Requested 1\. Please try again in (1m)?[\d.]+(ms|s)\.$/);
      // The first request's bucket started at `at` and is counted for a full minute after it ends.
      const release = first.reservation.at + 1_000 + 60_000;
      within(no.retryAfterMs, release - hi, release - lo, "retryAfterMs");
      within(no.state.resetRequestsMs!, no.retryAfterMs, 61_000, "resetRequestsMs");
    });

    it("reports reset as the time until the newest counted bucket leaves the window", async () => {
      const s = scope("reset");
      const limits = { rpm: 10, tpm: 1_000, rpd: null };
      allowed(await b.limiter.admit(s, limits, 5));
      const { value, lo, hi } = await b.timed(() => b.limiter.admit(s, limits, 5));
      const a = allowed(value);
      const release = a.reservation.at + 61_000;
      within(a.state.resetRequestsMs!, release - hi, release - lo, "resetRequestsMs");
      within(a.state.resetTokensMs!, release - hi, release - lo, "resetTokensMs");
      assert.equal(a.state.remainingRequests, 8);
      assert.equal(a.state.remainingTokens, 990);
      const h = rateLimitHeaders(a.state);
      assert.equal(h["x-ratelimit-remaining-tokens"], "990");
      assert.match(h["x-ratelimit-reset-requests"], /^(1m[\d.]+s|[\d.]+s)$/);
    });

    it("reserves tokens against TPM; reconcile down frees capacity and reconcile up consumes it", async () => {
      const s = scope("tpm");
      const limits = { rpm: null, tpm: 1_000, rpd: null };
      const r1 = allowed(await b.limiter.admit(s, limits, 600));
      assert.equal(r1.state.remainingTokens, 400);
      assert.equal(r1.state.limitRequests, null);
      assert.equal(r1.reservation.tokens, 600);

      const no = refused(await b.limiter.admit(s, limits, 500));
      assert.equal(no.kind, "tokens");
      assert.match(no.message, /^Rate limit reached for tokens per min \(TPM\): Limit 1000, Used 600, Requested 500\. Please try again in /);

      await b.limiter.reconcile(r1.reservation, 300); // the call used less than reserved
      const r2 = allowed(await b.limiter.admit(s, limits, 500));
      assert.equal(r2.state.remainingTokens, 200);

      await b.limiter.reconcile(r2.reservation, 900); // ...and this one more
      const after = refused(await b.limiter.admit(s, limits, 1));
      assert.match(after.message, /Used 1200, Requested 1\./);
      assert.equal(after.state.remainingTokens, 0, "remaining never goes below 0");

      // Reconciling again replaces the previous actual count (e.g. as a stream goes on).
      assert.equal(r2.reservation.tokens, 900);
      await b.limiter.reconcile(r2.reservation, 0); // back to 300 used in all
      assert.equal(allowed(await b.limiter.admit(s, limits, 700)).state.remainingTokens, 0);
    });

    it("computes the token wait from as many old buckets as the request needs", async () => {
      const s = scope("tpm-wait");
      const limits = { rpm: null, tpm: 100, rpd: null };
      const a = allowed(await b.limiter.admit(s, limits, 40));
      if (b.name === "memory") (b as ReturnType<typeof memoryBackend>).clock.t += 10_000;
      const c = allowed(await b.limiter.admit(s, limits, 40));
      const small = await b.timed(() => b.limiter.admit(s, limits, 50)); // needs 30 freed: the first bucket
      within(refused(small.value).retryAfterMs, a.reservation.at + 61_000 - small.hi, a.reservation.at + 61_000 - small.lo, "wait for 50");
      const big = await b.timed(() => b.limiter.admit(s, limits, 90)); // needs 70 freed: both buckets
      within(refused(big.value).retryAfterMs, c.reservation.at + 61_000 - big.hi, c.reservation.at + 61_000 - big.lo, "wait for 90");
    });

    it("refuses a single request larger than the TPM limit, and does not count it", async () => {
      const s = scope("too-large");
      const limits = { rpm: 10, tpm: 1_000, rpd: null };
      const no = refused(await b.limiter.admit(s, limits, 1_500));
      assert.equal(no.kind, "tokens");
      assert.equal(no.tooLarge, true);
      assert.equal(no.message, "Request too large for tokens per min (TPM): Limit 1000, Requested 1500. The input or output tokens must be reduced in order to run successfully.");
      const ok = allowed(await b.limiter.admit(s, limits, 1_000));
      assert.equal(ok.state.remainingRequests, 9, "the refused request was not counted");
      assert.equal(ok.state.remainingTokens, 0);
    });

    it("does not count refused requests", async () => {
      const s = scope("no-count");
      const limits = { rpm: 5, tpm: 100, rpd: 50 };
      allowed(await b.limiter.admit(s, limits, 60));
      for (let i = 0; i < 10; i++) refused(await b.limiter.admit(s, limits, 50)); // over TPM
      const a = allowed(await b.limiter.admit(s, limits, 40));
      assert.equal(a.state.remainingRequests, 3);
      assert.equal(a.state.remainingTokens, 0);
      // RPM refusals do not count towards RPD (or tokens) either.
      allowed(await b.limiter.admit(s, limits, 0));
      allowed(await b.limiter.admit(s, limits, 0));
      assert.equal(allowed(await b.limiter.admit(s, limits, 0)).state.remainingRequests, 0);
      for (let i = 0; i < 10; i++) refused(await b.limiter.admit(s, limits, 0));
      const day = refused(await b.limiter.admit(s, { rpm: null, tpm: null, rpd: 5 }, 0));
      assert.match(day.message, /requests per day \(RPD\): Limit 5, Used 5, Requested 1/);
      allowed(await b.limiter.admit(s, { rpm: null, tpm: null, rpd: 6 }, 0));
    });

    it("enforces RPD over a day, with the retry time of its 1-minute buckets", async () => {
      const s = scope("rpd");
      const limits = { rpm: 100, tpm: null, rpd: 2 };
      const first = allowed(await b.limiter.admit(s, limits, 0));
      const second = allowed(await b.limiter.admit(s, limits, 0));
      assert.equal(second.state.limitRequests, 2, "the requests headers describe the limit that refuses first");
      assert.equal(second.state.remainingRequests, 0);
      within(second.state.resetRequestsMs!, 86_400_000, 86_460_000, "RPD reset");
      const { value, lo, hi } = await b.timed(() => b.limiter.admit(s, limits, 0));
      const no = refused(value);
      assert.equal(no.kind, "requests");
      assert.match(no.message, /^Rate limit reached for requests per day \(RPD\): Limit 2, Used 2, Requested 1\. Please try again in 2\dh\d+m[\d.]+s\.$/);
      const dayBucketStart = Math.floor(first.reservation.at / 60_000) * 60_000;
      const release = dayBucketStart + 60_000 + 86_400_000;
      within(no.retryAfterMs, release - hi, release - lo, "RPD retryAfterMs");
    });

    it("reports the tighter of RPM and RPD in the requests state", async () => {
      const s = scope("tighter");
      const a = allowed(await b.limiter.admit(s, { rpm: 10, tpm: null, rpd: 100 }, 0));
      assert.deepEqual([a.state.limitRequests, a.state.remainingRequests], [10, 9]);
      const c = allowed(await b.limiter.admit(s, { rpm: 10, tpm: null, rpd: 5 }, 0));
      assert.deepEqual([c.state.limitRequests, c.state.remainingRequests], [5, 3]);
    });

    it("refuses everything when a limit is 0", async () => {
      const no = refused(await b.limiter.admit(scope("zero"), { rpm: 0, tpm: null, rpd: null }, 0));
      assert.equal(no.kind, "requests");
      assert.equal(no.tooLarge, true);
      assert.match(no.message, /Limit 0/);
    });

    it("lets unlimited scopes through without counting", async () => {
      const s = scope("free");
      const a = allowed(await b.limiter.admit(s, { rpm: null, tpm: null, rpd: null }, 1_000_000));
      assert.deepEqual(rateLimitHeaders(a.state), {});
      await b.limiter.reconcile(a.reservation, 5);
      if (b.name === "redis") assert.equal(await redis.exists(`${PREFIX}{${s}}:m`, `${PREFIX}{${s}}:d`), 0);
    });

    it("ignores a reconcile whose bucket holds no counts or has left the window", async () => {
      const s = scope("stale");
      const limits = { rpm: null, tpm: 100, rpd: null };
      const a = allowed(await b.limiter.admit(s, limits, 100));
      const stale: Reservation = { ...a.reservation, at: a.reservation.at - 120_000 };
      const empty: Reservation = { ...a.reservation, at: a.reservation.at - 5_000 };
      await b.limiter.reconcile(stale, 0);
      await b.limiter.reconcile(empty, 150);
      const no = refused(await b.limiter.admit(s, limits, 1));
      assert.match(no.message, /Used 100, Requested 1/);
    });
  });
}

describe("rate limits in memory: the window slides with the clock", () => {
  it("frees a request exactly when its bucket has been out of the window for a full minute", async () => {
    const m = memoryBackend();
    const limits = { rpm: 3, tpm: null, rpd: null };
    allowed(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0 + 10_000;
    allowed(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0 + 20_000;
    allowed(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0 + 30_000;
    const no = refused(await m.limiter.admit("s", limits, 0));
    // The first request was counted in the bucket [T0-500, T0+500): it counts until T0+60.5 s.
    assert.equal(no.retryAfterMs, 30_500);
    assert.match(no.message, /Please try again in 30\.5s\.$/);
    m.clock.t = T0 + 60_499;
    assert.equal(refused(await m.limiter.admit("s", limits, 0)).retryAfterMs, 1);
    m.clock.t = T0 + 60_500;
    const a = allowed(await m.limiter.admit("s", limits, 0));
    assert.equal(a.state.remainingRequests, 0);
    assert.equal(a.state.resetRequestsMs, 61_000, "the newest bucket leaves a minute after it ends");
    m.clock.t = T0 + 200_000;
    assert.equal(allowed(await m.limiter.admit("s", limits, 0)).state.remainingRequests, 2);
  });

  it("slides RPD over 24 hours in 1-minute buckets", async () => {
    const m = memoryBackend();
    const limits = { rpm: null, tpm: null, rpd: 2 };
    allowed(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0 + 3_600_000;
    allowed(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0 + 7_200_000;
    const no = refused(await m.limiter.admit("s", limits, 0));
    const release = (Math.floor(T0 / 60_000) + 1) * 60_000 + 86_400_000;
    assert.equal(no.retryAfterMs, release - m.clock.t);
    m.clock.t = release - 1;
    refused(await m.limiter.admit("s", limits, 0));
    m.clock.t = release;
    assert.equal(allowed(await m.limiter.admit("s", limits, 0)).state.remainingRequests, 0);
  });

  it("ignores a reconcile after its bucket has left the window (no credit against newer usage)", async () => {
    const m = memoryBackend();
    const limits = { rpm: null, tpm: 100, rpd: null };
    const old = allowed(await m.limiter.admit("s", limits, 100));
    m.clock.t = T0 + 61_000;
    allowed(await m.limiter.admit("s", limits, 100));
    await m.limiter.reconcile(old.reservation, 0);
    refused(await m.limiter.admit("s", limits, 1));
  });

  it("keeps counting correctly when the clock steps back", async () => {
    const m = memoryBackend();
    const limits = { rpm: 2, tpm: null, rpd: null };
    m.clock.t = T0 + 5_000;
    allowed(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0;
    allowed(await m.limiter.admit("s", limits, 0));
    refused(await m.limiter.admit("s", limits, 0));
    m.clock.t = T0 + 60_500; // the earlier bucket has left; the later one has not
    assert.equal(allowed(await m.limiter.admit("s", limits, 0)).state.remainingRequests, 0);
  });

  it("drops idle scopes and bounds the number it keeps", async () => {
    const m = memoryBackend();
    const limiter = m.limiter as ReturnType<typeof createMemoryRateLimiter>;
    for (let i = 0; i < 50; i++) await limiter.admit(`minute-${i}`, { rpm: 5, tpm: null, rpd: null }, 0);
    await limiter.admit("daily", { rpm: null, tpm: null, rpd: 5 }, 0);
    assert.equal(limiter.scopeCount(), 51);
    m.clock.t = T0 + 62_000;
    await limiter.admit("new", { rpm: 5, tpm: null, rpd: null }, 0);
    assert.equal(limiter.scopeCount(), 2, "minute scopes are gone after a minute of silence; the daily one stays");

    const clock = { t: T0 };
    const small = createMemoryRateLimiter({ now: () => clock.t, maxScopes: 10 });
    const lines = await captureLogs(async () => {
      for (let i = 0; i < 15; i++) allowed(await small.admit(`s${i}`, { rpm: 1, tpm: null, rpd: null }, 0));
    });
    assert.equal(small.scopeCount(), 10);
    assert.ok(lines.some((l) => l.includes("too many active scopes")));
    allowed(await small.admit("s0", { rpm: 1, tpm: null, rpd: null }, 0)); // forgotten: least recently used
    refused(await small.admit("s14", { rpm: 1, tpm: null, rpd: null }, 0)); // kept
  });
});

describe("rate limits on Redis", () => {
  it("two instances on separate connections admit exactly the limit under 200 concurrent requests", async () => {
    const one = createRedisRateLimiter({ client: redis, prefix: PREFIX });
    const two = createRedisRateLimiter({ client: redisOther, prefix: PREFIX });
    const s = scope("race");
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).admit(s, { rpm: 50, tpm: null, rpd: null }, 0)),
    );
    const ok = results.filter((r) => r.allowed);
    assert.equal(ok.length, 50);
    // Every admitted request saw a distinct count: the check-and-count was atomic.
    assert.deepEqual(
      ok.map((r) => r.state.remainingRequests).sort((x, y) => x! - y!),
      Array.from({ length: 50 }, (_, i) => i),
    );
    for (const r of results) if (!r.allowed) within(r.retryAfterMs, 1, 61_000, "retryAfterMs");

    const t = scope("race-tokens");
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? one : two).admit(t, { rpm: null, tpm: 1_000, rpd: null }, 7)),
    );
    assert.equal(tokens.filter((r) => r.allowed).length, Math.floor(1_000 / 7));
    await Promise.all([one.close(), two.close()]);
    assert.equal(redis.status, "ready", "closing a limiter leaves a client it was given open");
  });

  it("forgets buckets that have left the window (usage written as if 90 s and 30 s ago)", async () => {
    const limiter = createRedisRateLimiter({ client: redis, prefix: PREFIX });
    const s = scope("trim");
    const key = `${PREFIX}{${s}}:m`;
    const cur = Math.floor((await serverNow(redis)) / 1000);
    const [old, recent] = [cur - 90, cur - 30];
    await redis.hset(key, { lo: old, hi: recent, R: 3, T: 30, [`r${old}`]: 2, [`t${old}`]: 20, [`r${recent}`]: 1, [`t${recent}`]: 10 });
    const a = allowed(await limiter.admit(s, { rpm: 2, tpm: 100, rpd: null }, 5));
    assert.equal(a.state.remainingRequests, 0, "only the request 30 s ago still counts");
    assert.equal(a.state.remainingTokens, 85);
    assert.equal(await redis.hexists(key, `r${old}`), 0, "the old bucket was deleted");
    assert.deepEqual(await redis.hmget(key, "R", "T"), ["2", "15"]);
    const lo = await serverNow(redis);
    const no = refused(await limiter.admit(s, { rpm: 2, tpm: 100, rpd: null }, 5));
    const hi = await serverNow(redis);
    const release = (recent + 1) * 1000 + 60_000;
    within(no.retryAfterMs, release - hi, release - lo, "retry after the bucket of 30 s ago leaves");

    // A scope whose newest bucket has left is started afresh.
    const s2 = scope("trim-all");
    const key2 = `${PREFIX}{${s2}}:m`;
    await redis.hset(key2, { lo: old, hi: old, R: 9, T: 90, [`r${old}`]: 9, [`t${old}`]: 90 });
    assert.equal(allowed(await limiter.admit(s2, { rpm: 2, tpm: 100, rpd: null }, 5)).state.remainingTokens, 95);
    assert.equal(await redis.hexists(key2, `r${old}`), 0);
    await limiter.close();
  });

  it("lets its keys expire on their own once the window has passed", async () => {
    const limiter = createRedisRateLimiter({ client: redis, prefix: PREFIX });
    const s = scope("ttl");
    allowed(await limiter.admit(s, { rpm: 5, tpm: null, rpd: 5 }, 0));
    within(await redis.pttl(`${PREFIX}{${s}}:m`), 59_000, 61_000, "minute key TTL");
    within(await redis.pttl(`${PREFIX}{${s}}:d`), 86_399_000, 86_460_000, "day key TTL");
    await limiter.close();
  });

  it("connects lazily, fails open when Redis is unreachable, counts the errors and keeps secrets out of the log", async () => {
    const before = rateLimiterErrors();
    const limiter = createRedisRateLimiter({ url: "redis://:s3cret-pass@127.0.0.1:1", prefix: PREFIX });
    let first: Admission | undefined;
    let second: Admission | undefined;
    let fastMs = 0;
    const lines = await captureLogs(async () => {
      first = await limiter.admit(scope("down"), { rpm: 1, tpm: 100, rpd: null }, 10);
      const start = performance.now();
      second = await limiter.admit(scope("down"), { rpm: 1, tpm: 100, rpd: null }, 10);
      fastMs = performance.now() - start;
      await limiter.reconcile(allowed(second).reservation, 50);
    });
    const a = allowed(first!);
    assert.equal(a.state.limitRequests, 1);
    assert.equal(a.state.remainingRequests, null, "usage is unknown");
    assert.deepEqual(rateLimitHeaders(a.state), { "x-ratelimit-limit-requests": "1", "x-ratelimit-limit-tokens": "100" });
    allowed(second!);
    assert.ok(fastMs < 100, `while the connection is down, admit answers at once (took ${fastMs} ms)`);
    assert.ok(rateLimiterErrors() >= before + 2, "each fail-open is counted");
    const warnings = lines.filter((l) => l.includes("rate limiter"));
    assert.equal(warnings.length, 1, "one warning, not one per request");
    assert.equal(JSON.parse(warnings[0]).level, "warn");
    assert.ok(!lines.join("\n").includes("s3cret"), "the Redis password is never logged");
    await limiter.close();
  });
});

describe("getRateLimiter", () => {
  it("returns one limiter per process", async () => {
    const a = getRateLimiter();
    assert.equal(getRateLimiter(), a);
    // Unlimited, so nothing is written wherever REDIS_URL points.
    allowed(await a.admit(scope("singleton"), { rpm: null, tpm: null, rpd: null }, 1));
  });
});

