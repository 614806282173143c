import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { createSharedSpend } from "@/lib/billing/shared-spend";

// The spend guard's shared figures in the machine's Redis, as two instances see them: what one
// has in flight counts against the other, spend written moves from an instance's figure to the
// written total, and an instance that went silent is forgotten. Keys live under a prefix unique
// to this run and are deleted at the end.

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `gatehouse-test:spend:${crypto.randomUUID()}:`;

let redis: Redis;
const a = createSharedSpend(REDIS_URL, PREFIX);
const b = createSharedSpend(REDIS_URL, PREFIX);
const key = () => a.keyOf(`org_${crypto.randomBytes(4).toString("hex")}`, "project:p1:2026-12");

before(async () => {
  redis = new Redis(REDIS_URL);
  await redis.ping();
});
after(async () => {
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await Promise.all([redis.quit(), a.close(), b.close()]);
});

describe("shared spend in Redis", () => {
  it("counts one instance's reservations against another's, and only up to the limit", async () => {
    const k = key();
    // Limit left 100 at both snapshots (f = 0 then). A takes 60; B may take 40 but not 41.
    assert.equal(await a.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 60n }]), 0);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 41n }]), 1);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 40n }]), 0);
    // A refused admission leaves nothing behind: A asking for 1 more (61) does not fit either.
    assert.equal(await a.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 61n }]), 1);
    // A settles for less than it reserved (60 -> 25 in flight): B gets the difference.
    await a.state([{ key: k, pending: 25n, written: 0n }]);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 75n }]), 0);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 76n }]), 1);
  });

  it("names the first scope without room, and reserves in none of them then", async () => {
    const credit = key();
    const budget = key();
    assert.equal(await a.admit([{ key: credit, left: 1_000n, fAtSnapshot: 0n, pending: 10n }, { key: budget, left: 5n, fAtSnapshot: 0n, pending: 10n }]), 2);
    assert.equal(await redis.exists(credit), 0, "nothing reserved under the scope that had room");
    assert.equal(await b.admit([{ key: credit, left: 1_000n, fAtSnapshot: 0n, pending: 1_000n }]), 0);
  });

  it("moves written spend from the writer's figure to the written total, seen by snapshots older than the write", async () => {
    const k = key();
    assert.equal(await a.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 30n }]), 0);
    // A's 30 is written to the database: its figure drops to 0 and f rises by 30, in one step.
    await a.state([{ key: k, pending: 0n, written: 30n }]);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 71n }]), 1, "a snapshot taken before the write must still count it");
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 70n }]), 0);
    // A snapshot taken after the write has it in the database figure (limit left 70) and f = 30.
    assert.equal(await b.flushed(k), 30n);
    assert.equal(await b.admit([{ key: k, left: 70n, fAtSnapshot: 30n, pending: 70n }]), 0);
    assert.equal(await b.admit([{ key: k, left: 70n, fAtSnapshot: 30n, pending: 71n }]), 1);
  });

  it("forgets an instance that has said nothing for 30 s (it stopped or crashed)", async () => {
    const k = key();
    assert.equal(await a.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 90n }]), 0);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 20n }]), 1);
    // A last spoke 31 s ago.
    const id = await instanceOf(k);
    await redis.hset(k, `t:${id}`, Date.now() - 31_000);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 0n, pending: 20n }]), 0);
    assert.equal(await redis.hexists(k, `p:${id}`), 0, "the silent instance's figure is deleted");
  });

  it("counts all written spend of a key made again after the snapshot (it had expired)", async () => {
    const k = key();
    // B's snapshot saw f = 500 on the key's previous life; the key is new and A wrote 30 since.
    await a.state([{ key: k, pending: 0n, written: 30n }]);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 500n, pending: 71n }]), 1);
    assert.equal(await b.admit([{ key: k, left: 100n, fAtSnapshot: 500n, pending: 70n }]), 0);
  });

  it("expires its keys", async () => {
    const k = key();
    await a.state([{ key: k, pending: 5n, written: 0n }]);
    const ttl = await redis.pttl(k);
    assert.ok(ttl > 30 * 24 * 3600 * 1000 && ttl <= 40 * 24 * 3600 * 1000, `ttl ${ttl}`);
  });
});

/** The id under which the only instance that wrote to a key wrote. */
async function instanceOf(k: string): Promise<string> {
  const ids = (await redis.hkeys(k)).filter((f) => f.startsWith("p:"));
  assert.equal(ids.length, 1);
  return ids[0].slice(2);
}
