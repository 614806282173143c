import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { flushUsage, recordUsage, usageStats, type UsageEventInput } from "@/lib/usage/recorder";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { captureLogs } from "../helpers/log-capture";

function event(i: number, over: Partial<UsageEventInput> = {}): UsageEventInput {
  return {
    requestId: `req_${i}`, orgId: "org", projectId: "proj", apiKeyId: i % 2 ? "key-a" : null, userId: null,
    endpoint: "chat.completions", model: i % 3 ? "m1" : "m2", provider: "local",
    promptTokens: i, cachedTokens: 0, completionTokens: 2 * i, costMicros: BigInt(i * 7),
    latencyMs: 5, ttftMs: null, status: i % 5 ? 200 : 429, errorCode: i % 5 ? null : "rate_limit_exceeded",
    streamed: false, cancelled: false, createdAt: new Date(Date.UTC(2026, 10, 25, i % 3, 30)), ...over,
  };
}

for (const kind of KINDS) {
  describe(`usage recorder on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
    });
    after(() => t.drop());

    it("writes events in batches with hourly rollups equal to the events' sums", async () => {
      for (let i = 1; i <= 250; i++) recordUsage(event(i));
      await flushUsage();
      const events = await t.db.sql.query<{ n: number; prompt: string; cost: string }>(`SELECT count(*)::int AS n, sum("promptTokens")::text AS prompt, sum("costMicros")::text AS cost FROM "UsageEvent"`);
      assert.deepEqual(events[0], { n: 250, prompt: String((250 * 251) / 2), cost: String(((250 * 251) / 2) * 7) });
      const rollups = await t.db.sql.query<{ requests: number; limited: number; prompt: string; cost: string; rows: number }>(
        `SELECT sum(requests)::int AS requests, sum("rateLimited")::int AS limited, sum("promptTokens")::text AS prompt, sum("costMicros")::text AS cost, count(*)::int AS rows FROM "UsageRollup"`,
      );
      assert.deepEqual(rollups[0], { requests: 250, limited: 50, prompt: events[0].prompt, cost: events[0].cost, rows: 3 * 2 }); // (hour, model) pairs × key or no key
    });

    it("stores client-supplied strings with NUL bytes, and one bad event does not hold back the others", async () => {
      const before = usageStats();
      recordUsage(event(1000, { requestId: "req_nul", model: "bad\u0000model" }));
      recordUsage(event(1001, { requestId: "req_huge", promptTokens: 2 ** 40 })); // does not fit an int column
      recordUsage(event(1002, { requestId: "req_fine" }));
      await flushUsage();
      const rows = await t.db.sql.query<{ requestId: string; model: string }>(`SELECT "requestId", model FROM "UsageEvent" WHERE "requestId" IN ('req_nul', 'req_huge', 'req_fine') ORDER BY "requestId"`);
      assert.deepEqual(rows, [{ requestId: "req_fine", model: "m2" }, { requestId: "req_nul", model: "badmodel" }]);
      assert.equal(usageStats().dropped - before.dropped, 1);
      assert.equal(usageStats().buffered, 0);
    });

    it("keeps events while the database fails, does not try again at once, and writes them all when it is back", async () => {
      const before = usageStats();
      // A missing table fails every write, as an unreachable database does (not for what an event holds).
      await t.db.sql.exec(`ALTER TABLE "UsageEvent" RENAME TO "UsageEventAway"`);
      let logs: string[];
      try {
        logs = await captureLogs(async () => {
          for (let i = 0; i < 300; i++) recordUsage(event(2000 + i, { requestId: `req_out_${i}` }));
          await flushUsage();
          // More than a batch arrives meanwhile: a full buffer waits for the retry too.
          for (let i = 300; i < 1200; i++) recordUsage(event(2000 + i, { requestId: `req_out_${i}` }));
          await new Promise((resolve) => setTimeout(resolve, 50));
        });
      } finally {
        await t.db.sql.exec(`ALTER TABLE "UsageEventAway" RENAME TO "UsageEvent"`);
      }
      assert.equal(usageStats().failures - before.failures, 1);
      assert.equal(logs.filter((l) => l.includes("usage flush failed; will retry")).length, 1);
      assert.equal(usageStats().buffered, 1200);
      assert.equal(usageStats().dropped, before.dropped);
      // Asked for (as at shutdown), a flush does not wait for the retry.
      await flushUsage();
      assert.equal(usageStats().buffered, 0);
      const rows = await t.db.sql.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT "requestId")::int AS distinct FROM "UsageEvent" WHERE "requestId" LIKE 'req_out_%'`);
      assert.deepEqual(rows[0], { n: 1200, distinct: 1200 });
    });
  });
}
