import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { RefreshAheadCache } from "@/lib/refresh-ahead-cache";

// Real time, with a TTL long enough that a busy machine does not blur "in the last fifth of the
// TTL" (800-1000 ms) with "expired".
const TTL = 1000;

/** A loader that counts its calls and answers "<key>#<call>", each after `delayMs`. */
function counter(delayMs = 20) {
  const calls: string[] = [];
  let fail = false;
  const load = async (key: string) => {
    calls.push(key);
    const n = calls.length;
    await sleep(delayMs);
    if (fail) throw new Error(`cannot load ${key}`);
    return `${key}#${n}`;
  };
  return { calls, load, failFromNowOn: () => (fail = true) };
}

describe("RefreshAheadCache", () => {
  it("shares one load among concurrent misses and answers hits without loading", async () => {
    const l = counter();
    const c = new RefreshAheadCache({ name: "test cache", max: 10, ttlMs: TTL, load: l.load });
    assert.deepEqual(await Promise.all([c.get("a"), c.get("a"), c.get("a")]), ["a#1", "a#1", "a#1"]);
    assert.equal(await c.get("a"), "a#1");
    assert.deepEqual(l.calls, ["a"]);
  });

  it("reloads in the background in the last fifth of the TTL, answering the cached value meanwhile", async () => {
    const l = counter(50);
    const c = new RefreshAheadCache({ name: "test cache", max: 10, ttlMs: TTL, load: l.load });
    await c.get("k");
    await sleep(TTL * 0.85);
    assert.equal(await c.get("k"), "k#1", "the request waited for the reload");
    assert.equal(await c.get("k"), "k#1"); // the reload is still running: no second one
    assert.equal(l.calls.length, 2);
    await sleep(80);
    assert.equal(await c.get("k"), "k#2");
    assert.equal(l.calls.length, 2);
  });

  it("never answers an entry past its TTL: an idle key is loaded again, and waited for", async () => {
    const l = counter();
    const c = new RefreshAheadCache({ name: "test cache", max: 10, ttlMs: TTL, load: l.load });
    await c.get("k");
    await sleep(TTL + 50);
    assert.equal(await c.get("k"), "k#2");
  });

  it("does not store a load that was in flight when the cache was invalidated", async () => {
    const l = counter(50);
    const c = new RefreshAheadCache({ name: "test cache", max: 10, ttlMs: TTL, load: l.load });
    const before = c.get("k");
    c.delete("k"); // a change in the console while the read runs
    assert.equal(await before, "k#1");
    assert.equal(await c.get("k"), "k#2", "the read begun before the change was kept");
    c.deleteWhere((v) => v.startsWith("k"));
    assert.equal(await c.get("k"), "k#3");
    c.clear();
    assert.equal(await c.get("k"), "k#4");
  });

  it("does not cache failures, and keeps the entry when a background reload fails", async () => {
    const l = counter();
    const c = new RefreshAheadCache({ name: "test cache", max: 10, ttlMs: TTL, load: l.load });
    await c.get("k");
    l.failFromNowOn();
    await sleep(TTL * 0.85);
    assert.equal(await c.get("k"), "k#1");
    await sleep(40);
    assert.equal(await c.get("k"), "k#1");
    await assert.rejects(c.get("other"), /cannot load other/);
    await assert.rejects(c.get("other"), /cannot load other/);
    assert.equal(l.calls.filter((k) => k === "other").length, 2);
  });
});
