import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { ADMIN_URL, startServer, waitForHealth } from "./servers";

// Two server processes sharing one PostgreSQL and one Redis: rate limits hold across them
// exactly, and every request (admitted or refused) is metered at the model's price, with
// buffered usage written when the processes are stopped (SIGTERM).

const MODEL = "stories260K";
const KEY = "sk-proj-" + "L".repeat(40) + "limits01";

test("200 concurrent requests through two instances sharing Redis admit exactly the RPM limit, and all are metered", async () => {
  test.setTimeout(180_000);
  const name = `gatehouse_e2e_limits_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    AUTH_SECRET: "y".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "limits@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "limits-password-1",
    BOOTSTRAP_API_KEY: KEY,
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
    LOCAL_MODEL_QUEUE_SIZE: "200",
  };
  const a = startServer(3241, env);
  const b = startServer(3242, env);
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await Promise.all([waitForHealth(3241, 200), waitForHealth(3242, 200)]);
    await db.connect();
    const { rows } = await db.query(`SELECT "projectId" FROM "ApiKey" WHERE "redactedValue" = $1`, [`sk-proj-...${KEY.slice(-4)}`]);
    const projectId = rows[0].projectId as string;
    await db.query(`INSERT INTO "ProjectModelLimit" ("projectId", "model", "rpm") VALUES ($1, $2, 50)`, [projectId, MODEL]);

    const call = (port: number) =>
      fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 2 }),
      }).then(async (res) => ({ status: res.status, headers: res.headers, body: await res.json() }));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call(i % 2 ? 3241 : 3242)));

    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(50);
    expect(limited).toHaveLength(150);
    for (const r of limited) {
      expect(r.body.error.code).toBe("rate_limit_exceeded");
      expect(r.body.error.type).toBe("requests");
      expect(r.body.error.message).toMatch(/Limit 50/);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(r.headers.get("x-ratelimit-limit-requests")).toBe("50");
      expect(r.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    }
    for (const r of ok) expect(r.headers.get("x-ratelimit-limit-requests")).toBe("50");

    // Stopping both instances writes their buffered usage.
    await Promise.all([a.stop(), b.stop()]);
    const events = await db.query(`SELECT * FROM "UsageEvent" WHERE "projectId" = $1`, [projectId]);
    expect(events.rows).toHaveLength(200);
    const byRequest = new Map(events.rows.map((e) => [e.requestId, e]));
    const price = (await db.query(`SELECT * FROM "Model" WHERE id = $1`, [MODEL])).rows[0];
    for (const r of ok) {
      const e = byRequest.get(r.headers.get("x-request-id"));
      expect(e.status).toBe(200);
      expect(e.promptTokens).toBe(r.body.usage.prompt_tokens);
      expect(e.completionTokens).toBe(r.body.usage.completion_tokens);
      const expected = (BigInt(e.promptTokens) * BigInt(price.inputPriceMicros) + BigInt(e.completionTokens) * BigInt(price.outputPriceMicros) + 500_000n) / 1_000_000n;
      expect(BigInt(e.costMicros)).toBe(expected);
    }
    for (const r of limited) {
      const e = byRequest.get(r.headers.get("x-request-id"));
      expect(e.status).toBe(429);
      expect(e.errorCode).toBe("rate_limit_exceeded");
      expect(BigInt(e.costMicros)).toBe(0n);
    }
    // Rollups hold exactly the events' sums.
    const roll = await db.query(
      `SELECT sum(requests)::int AS requests, sum("rateLimited")::int AS limited, sum("promptTokens")::int AS prompt, sum("costMicros")::text AS cost FROM "UsageRollup" WHERE "projectId" = $1`,
      [projectId],
    );
    const sums = await db.query(`SELECT sum("promptTokens")::int AS prompt, sum("costMicros")::text AS cost FROM "UsageEvent" WHERE "projectId" = $1`, [projectId]);
    expect(roll.rows[0]).toEqual({ requests: 200, limited: 150, prompt: sums.rows[0].prompt, cost: sums.rows[0].cost });
  } finally {
    await a.stop();
    await b.stop();
    await db.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
});

test("a stream the client abandons is metered as cancelled, for the tokens it produced", async () => {
  test.setTimeout(120_000);
  const name = `gatehouse_e2e_cancel_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const server = startServer(3247, {
    DATABASE_URL: url.toString(),
    AUTH_SECRET: "c".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "cancel@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "cancel-password-1",
    BOOTSTRAP_API_KEY: KEY,
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
  });
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await waitForHealth(3247, 200);
    const abort = new AbortController();
    const res = await fetch("http://127.0.0.1:3247/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 1500, stream: true, stream_options: { include_usage: true } }),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id");
    const reader = res.body!.getReader();
    let events = 0;
    while (events < 5) {
      const { value } = await reader.read();
      events += new TextDecoder().decode(value).split("\n\n").filter((e) => e.startsWith("data: {")).length;
    }
    abort.abort();
    await reader.cancel().catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();

    await db.connect();
    const { rows } = await db.query(`SELECT * FROM "UsageEvent" WHERE "requestId" = $1`, [requestId]);
    expect(rows).toHaveLength(1);
    const e = rows[0];
    expect(e.streamed).toBe(true);
    expect(e.cancelled).toBe(true);
    expect(e.status).toBe(499);
    expect(e.completionTokens).toBeGreaterThan(0);
    expect(e.completionTokens).toBeLessThan(1500);
    expect(e.ttftMs).not.toBeNull();
    expect(BigInt(e.costMicros)).toBeGreaterThan(0n);
  } finally {
    await server.stop();
    await db.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
});
