import path from "node:path";
import pg from "pg";
import OpenAI from "openai";
import { expect, test } from "@playwright/test";
import { ADMIN_URL, startServer, waitForHealth } from "./servers";

// Spend limits at the API, on a server of its own with its own PostgreSQL database: a tiny
// project budget under 50 concurrent requests (streamed and not) never lets spend past the
// cap, refusals are OpenAI's 429 insufficient_quota, used-up credit refuses too, and what was
// used reaches the credit ledger exactly. Then two instances sharing PostgreSQL and Redis hold
// one budget together.

const MODEL = "stories260K";
const KEY = "sk-proj-" + "B".repeat(40) + "billing1";
const PORT = 3249;
const MAX_TOKENS = 16;

type Result = { status: number; headers: Headers; body: { usage?: { prompt_tokens: number; completion_tokens: number }; error?: { code: string; type: string; message: string } } };

async function call(stream: boolean, i: number, port = PORT): Promise<Result> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: `Tell me a story number ${i}` }], max_tokens: MAX_TOKENS, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
  });
  if (!stream || res.status !== 200) return { status: res.status, headers: res.headers, body: await res.json() };
  const text = await res.text();
  const chunks = text.split("\n\n").filter((e) => e.startsWith("data: {")).map((e) => JSON.parse(e.slice(6)));
  return { status: 200, headers: res.headers, body: { usage: chunks.at(-1).usage } };
}

/** Runs `run` with a fresh PostgreSQL database (its URL and a client on it), dropped afterwards. */
async function withDatabase(prefix: string, run: (url: string, db: pg.Client) => Promise<void>) {
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await db.connect();
    await run(url.toString(), db);
  } finally {
    await db.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

function serverEnv(databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: "b".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "billing@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "billing-password-1",
    BOOTSTRAP_API_KEY: KEY,
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
    LOCAL_MODEL_QUEUE_SIZE: "100",
    BILLING_INTERVAL_MS: "500",
    ...extra,
  };
}

/** The bootstrap key's project and organization, and cost arithmetic at the model's prices. */
async function pricing(db: pg.Client) {
  const { rows } = await db.query(`SELECT k."projectId", p."orgId" FROM "ApiKey" k JOIN "Project" p ON p.id = k."projectId" WHERE k."redactedValue" = $1`, [`sk-proj-...${KEY.slice(-4)}`]);
  const { projectId, orgId } = rows[0] as { projectId: string; orgId: string };
  const price = (await db.query(`SELECT "inputPriceMicros", "outputPriceMicros" FROM "Model" WHERE id = $1`, [MODEL])).rows[0];
  const costOf = (u: { prompt_tokens: number; completion_tokens: number }) =>
    (BigInt(u.prompt_tokens) * BigInt(price.inputPriceMicros) + BigInt(u.completion_tokens) * BigInt(price.outputPriceMicros) + 500_000n) / 1_000_000n;
  const reservationOf = (promptTokens: number) => (BigInt(promptTokens) * BigInt(price.inputPriceMicros) + BigInt(MAX_TOKENS) * BigInt(price.outputPriceMicros) + 999_999n) / 1_000_000n;
  return { projectId, orgId, costOf, reservationOf };
}

test("a project budget holds under 50 concurrent requests, used-up credit refuses, and usage reaches the ledger", async () => {
  test.setTimeout(180_000);
  await withDatabase("gatehouse_e2e_billing", async (url, db) => {
    const server = startServer(PORT, serverEnv(url));
    try {
      await waitForHealth(PORT, 200);
      const { projectId, orgId, costOf, reservationOf } = await pricing(db);

      // A $0.00006 monthly hard cap on the project, set before its first request.
      const CAP = 60n;
      await db.query(`INSERT INTO "Budget" ("scope", "orgId", "projectId", "capMicros", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [`project:${projectId}`, orgId, projectId, CAP]);

      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call(i % 2 === 0, i)));
      const ok = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status === 429);
      expect(ok.length + refused.length).toBe(50);
      expect(ok.length).toBeGreaterThan(3);
      expect(refused.length).toBeGreaterThan(3);
      const spent = ok.reduce((s, r) => s + costOf(r.body.usage!), 0n);
      const maxReservation = ok.reduce((m, r) => (reservationOf(r.body.usage!.prompt_tokens) > m ? reservationOf(r.body.usage!.prompt_tokens) : m), 0n);
      // Costs never exceed their reservations, so the cap holds outright (the issue allows one reservation over).
      expect(spent).toBeLessThanOrEqual(CAP);
      expect(spent + maxReservation).toBeGreaterThan(CAP - maxReservation * 2n); // it was really used up to about the cap
      for (const r of refused) {
        expect(r.body.error?.type).toBe("insufficient_quota");
        expect(r.body.error?.code).toBe("insufficient_quota");
        expect(r.body.error?.message).toMatch(/monthly budget of \$0\.00006/);
        expect(r.headers.get("x-should-retry")).toBe("false");
        expect(r.headers.get("x-request-id")).toMatch(/^req_/);
      }

      // The official SDK sees OpenAI's error (and does not retry it).
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${PORT}/v1`, apiKey: KEY });
      const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: MAX_TOKENS }).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect(err.code).toBe("insufficient_quota");

      // Lift the cap; then take the organization's credit away: used-up credit refuses too (a
      // change made in the database directly is seen within the policy and snapshot intervals).
      await db.query(`DELETE FROM "Budget" WHERE "scope" = $1`, [`project:${projectId}`]);
      await db.query(`INSERT INTO "CreditEntry" ("orgId", "kind", "amountMicros", "description") VALUES ($1, 'adjustment', -5000000, 'Credit withdrawn for the test')`, [orgId]);
      let last: Result | null = null;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        last = await call(false, 0);
        if (last.status === 429 && /prepaid credit/.test(last.body.error?.message ?? "")) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(last?.status).toBe(429);
      expect(last?.body.error?.code).toBe("insufficient_quota");
      expect(last?.body.error?.message).toMatch(/prepaid credit is used up/);

      // Stopping the server writes buffered usage and posts it: the ledger's usage equals the events' cost.
      await server.stop();
      const events = await db.query(`SELECT COALESCE(SUM("costMicros"), 0)::text AS cost, COUNT(*)::int AS n FROM "UsageEvent" WHERE "orgId" = $1`, [orgId]);
      const ledger = await db.query(`SELECT COALESCE(-SUM("amountMicros"), 0)::text AS cost FROM "CreditEntry" WHERE "orgId" = $1 AND kind = 'usage'`, [orgId]);
      expect(events.rows[0].n).toBeGreaterThanOrEqual(52);
      expect(BigInt(events.rows[0].cost)).toBeGreaterThan(0n);
      expect(ledger.rows[0].cost).toBe(events.rows[0].cost);
      const refusedEvents = await db.query(`SELECT COUNT(*)::int AS n FROM "UsageEvent" WHERE "orgId" = $1 AND "errorCode" = 'insufficient_quota' AND status = 429 AND "costMicros" = 0`, [orgId]);
      expect(refusedEvents.rows[0].n).toBeGreaterThanOrEqual(refused.length + 2);
    } finally {
      await server.stop();
    }
  });
});

test("two instances sharing PostgreSQL and Redis hold one project budget together", async () => {
  test.setTimeout(180_000);
  await withDatabase("gatehouse_e2e_billing_shared", async (url, db) => {
    const env = serverEnv(url, { REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" });
    const ports = [3239, 3240];
    const servers = ports.map((port) => startServer(port, env));
    try {
      await Promise.all(ports.map((port) => waitForHealth(port, 200)));
      const { projectId, orgId, costOf, reservationOf } = await pricing(db);
      // A cap that each instance alone would fill with about a dozen requests.
      const CAP = 60n;
      await db.query(`INSERT INTO "Budget" ("scope", "orgId", "projectId", "capMicros", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [`project:${projectId}`, orgId, projectId, CAP]);

      // One request on each instance first (each has read the budget), then 60 at once, half to
      // each, streamed and not. Each instance alone would admit up to the whole cap.
      const first = [await call(false, 0, ports[0]), await call(false, 1, ports[1])];
      expect(first.map((r) => r.status)).toEqual([200, 200]);
      const results = [...first, ...(await Promise.all(Array.from({ length: 60 }, (_, i) => call(i % 4 < 2, i + 2, ports[i % 2]))))];
      const ok = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status === 429);
      expect(ok.length + refused.length).toBe(62);
      expect(refused.length).toBeGreaterThan(30);
      for (const r of refused) expect(r.body.error?.code).toBe("insufficient_quota");
      const spent = ok.reduce((s, r) => s + costOf(r.body.usage!), 0n);
      const maxReservation = ok.reduce((m, r) => (reservationOf(r.body.usage!.prompt_tokens) > m ? reservationOf(r.body.usage!.prompt_tokens) : m), 0n);
      expect(spent).toBeLessThanOrEqual(CAP);
      expect(spent).toBeGreaterThan(CAP - maxReservation * 3n); // used up to about the cap

      // Later requests on either instance are refused too, after both wrote their usage.
      await new Promise((r) => setTimeout(r, 1_500));
      for (const port of ports) expect((await call(false, 99, port)).status).toBe(429);

      await Promise.all(servers.map((s) => s.stop()));
      const events = await db.query(`SELECT COALESCE(SUM("costMicros"), 0)::text AS cost FROM "UsageEvent" WHERE "projectId" = $1`, [projectId]);
      expect(BigInt(events.rows[0].cost)).toBe(spent);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
