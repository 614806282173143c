#!/usr/bin/env node
// Seeds a PostgreSQL database with usage for the dashboard benchmark: one organization with
// users, 3 projects, 20 API keys (some owned by a service account, so without a user), 8
// priced models, N usage events spread over the last 90 days, and their hourly rollups
// computed from those same events (so rollups equal the events, as lib/usage/recorder.ts keeps them).
//
//   node --conditions=react-server --import tsx scripts/seed-usage.mjs [--url URL] [--events N] [--days D]
//
// Defaults: URL postgres://postgres@127.0.0.1:5432/gatehouse_usage_bench (created when missing,
// migrations applied), N = 10,000,000, D = 90. Every run adds a new organization; its id is
// printed for scripts/bench-usage.mjs (which otherwise picks the organization with most usage).
// Events are generated server-side with generate_series, one day per statement (at most
// 250,000 events), so nothing large passes through Node.
import crypto from "node:crypto";
import pg from "pg";
import { openDatabase } from "../lib/db/database.ts";
import { migrate } from "../lib/db/migrate.ts";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const url = arg("url", process.env.USAGE_BENCH_URL ?? "postgres://postgres@127.0.0.1:5432/gatehouse_usage_bench");
const total = Number(arg("events", "10000000"));
const days = Number(arg("days", "90"));
if (!Number.isSafeInteger(total) || total < 1) throw new Error("--events must be a positive integer");
if (!Number.isSafeInteger(days) || days < 1 || days > 3660) throw new Error("--days must be between 1 and 3660");

const id = (prefix) => `${prefix}${crypto.randomBytes(10).toString("hex")}`;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

async function ensureDatabase() {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  const exists = (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount > 0;
  if (!exists) {
    await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    console.log(`created database ${name}`);
  }
  await c.end();
}

await ensureDatabase();
{
  // The project's own migrate step (the same one the server runs at start-up).
  const database = await openDatabase({ databaseUrl: url, dataDir: "/tmp" });
  const { applied } = await migrate(database.sql);
  if (applied.length) console.log(`applied migrations: ${applied.join(", ")}`);
  await database.close();
}

const client = new pg.Client({ connectionString: url });
await client.connect();
// A seed can be replayed: trading durability for speed is fine here.
await client.query("SET synchronous_commit = off");

// ---- The organization and what usage refers to ----
const now = new Date();
const orgId = id("org_");
const users = Array.from({ length: 5 }, (_, i) => ({ id: id("usr_"), email: `seed-${i}-${orgId.slice(4, 12)}@example.com`, name: `Seed User ${i + 1}` }));
const projects = ["Search", "Support bot", "Data pipeline"].map((name) => ({ id: id("prj_"), name }));
const serviceAccount = { id: id("sa_"), projectId: projects[2].id, name: "nightly-batch" };
// 20 keys: 15 owned by users, 5 by the service account (usage without a user).
const keys = Array.from({ length: 20 }, (_, i) => {
  const project = projects[i % 3];
  const byService = i >= 15;
  return {
    id: id("key_"),
    projectId: byService ? serviceAccount.projectId : project.id,
    name: byService ? `batch-${i - 14}` : `${project.name.toLowerCase().replace(/ /g, "-")}-${i + 1}`,
    redactedValue: `sk-proj-...${crypto.randomBytes(2).toString("hex")}`,
    ownerUserId: byService ? null : users[i % users.length].id,
    serviceAccountId: byService ? serviceAccount.id : null,
  };
});
// [id, input, cached input, output] prices in micro-dollars per 1M tokens.
const models = [
  ["gpt-4o-mini", 150_000, 75_000, 600_000],
  ["gpt-4o", 2_500_000, 1_250_000, 10_000_000],
  ["llama-3.1-8b", 50_000, null, 80_000],
  ["qwen2.5-7b", 60_000, null, 90_000],
  ["mistral-small", 200_000, 100_000, 600_000],
  ["text-embedding-3-small", 20_000, null, 0],
  ["o3-mini", 1_100_000, 550_000, 4_400_000],
  ["stories260K", 10_000, null, 10_000],
];

await client.query("BEGIN");
await client.query(`INSERT INTO "Organization" (id, name, "timeZone", "updatedAt") VALUES ($1, $2, 'UTC', now())`, [orgId, `Usage benchmark ${now.toISOString().slice(0, 10)}`]);
for (const [i, u] of users.entries()) {
  await client.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [u.id, u.email, u.name]);
  await client.query(`INSERT INTO "OrgMembership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, $4)`, [id("om_"), orgId, u.id, i === 0 ? "owner" : "reader"]);
}
for (const p of projects) {
  await client.query(`INSERT INTO "Project" (id, "orgId", name, "updatedAt") VALUES ($1, $2, $3, now())`, [p.id, orgId, p.name]);
}
await client.query(`INSERT INTO "ServiceAccount" (id, "projectId", name) VALUES ($1, $2, $3)`, [serviceAccount.id, serviceAccount.projectId, serviceAccount.name]);
for (const k of keys) {
  await client.query(
    `INSERT INTO "ApiKey" (id, "projectId", name, "secretHash", "redactedValue", permissions, "ownerUserId", "serviceAccountId")
     VALUES ($1, $2, $3, $4, $5, '{"mode":"all"}', $6, $7)`,
    [k.id, k.projectId, k.name, crypto.randomBytes(32).toString("hex"), k.redactedValue, k.ownerUserId, k.serviceAccountId],
  );
}
// The catalog lists the models (the dashboard's model filter offers the catalog's); disabled,
// since nothing serves them here.
for (const [model, input, cached, output] of models) {
  await client.query(
    `INSERT INTO "Model" (id, provider, "upstreamId", "contextWindow", capabilities, "inputPriceMicros", "cachedInputPriceMicros", "outputPriceMicros", "ownedBy", enabled, "updatedAt")
     VALUES ($1, 'openai', $1, 128000, '{chat}', $2, $3, $4, 'seed', false, now()) ON CONFLICT (id) DO NOTHING`,
    [model, input, cached, output],
  );
}
await client.query("COMMIT");
console.log(`organization ${orgId}: ${users.length} users (owner ${users[0].email}), ${projects.length} projects, ${keys.length} keys, ${models.length} models`);

// ---- Events, one day per statement, with their rollups ----
// Callers: the 20 keys and the console playground (no key, a user, a random project).
const callers = [
  ...keys.map((k) => ({ key: k.id, project: k.projectId, user: k.ownerUserId })),
  ...users.slice(0, 3).map((u, i) => ({ key: null, project: projects[i].id, user: u.id })),
];
const weights = Array.from({ length: days }, (_, d) => 1 + 0.3 * Math.sin((d / 7) * 2 * Math.PI) + (0.5 * d) / days);
const wsum = weights.reduce((a, b) => a + b, 0);
const perDay = weights.map((w) => Math.floor((total * w) / wsum));
perDay[days - 1] += total - perDay.reduce((a, b) => a + b, 0);

// Day d covers the 24 hours ending (days - 1 - d) days before now: the newest event is "now".
const firstDay = now.getTime() - days * 86_400_000;

const eventSql = `
  WITH c AS (
    SELECT g,
      -- skewed picks: a few keys and models carry most of the traffic
      floor(power(random(), 1.6) * $4::int)::int + 1 AS ci,
      floor(power(random(), 2) * $9::int)::int + 1 AS mi,
      random() AS st,
      -- bell-shaped time of day around the middle of the window
      ((random() + random() + random()) / 3) * $3::float8 AS sec,
      floor(40 + power(random(), 2) * 3000)::int AS prompt,
      random() AS cr,
      floor(5 + power(random(), 2) * 1200)::int AS completion
    FROM generate_series(1, $2::int) g
  ), e AS (
    SELECT c.*, ($5::text[])[ci] AS key, ($6::text[])[ci] AS project, ($7::text[])[ci] AS usr, ($8::text[])[mi] AS model,
      CASE WHEN st < 0.01 THEN 429 WHEN st < 0.025 THEN 500 WHEN st < 0.03 THEN 400 ELSE 200 END AS status
    FROM c
  )
  INSERT INTO "UsageEvent" ("requestId", "createdAt", "orgId", "projectId", "apiKeyId", "userId", endpoint, model, provider,
    "promptTokens", "cachedTokens", "completionTokens", "costMicros", "latencyMs", "ttftMs", status, "errorCode", streamed, cancelled)
  SELECT $1::text || lpad(g::text, 6, '0'), to_timestamp($10::float8 + sec) AT TIME ZONE 'UTC', $11, project, key, usr,
    CASE WHEN model = 'text-embedding-3-small' THEN 'embeddings' ELSE 'chat.completions' END, model, 'seed',
    CASE WHEN status = 200 THEN prompt ELSE 0 END,
    CASE WHEN status = 200 AND cr < 0.3 THEN floor(prompt * cr)::int ELSE 0 END,
    CASE WHEN status = 200 AND model <> 'text-embedding-3-small' THEN completion ELSE 0 END,
    CASE WHEN status <> 200 THEN 0 ELSE
      ((prompt - CASE WHEN cr < 0.3 THEN floor(prompt * cr)::int ELSE 0 END)::int8 * ($12::int8[])[mi]
      + (CASE WHEN cr < 0.3 THEN floor(prompt * cr)::int ELSE 0 END)::int8 * coalesce(($13::int8[])[mi], ($12::int8[])[mi])
      + (CASE WHEN model <> 'text-embedding-3-small' THEN completion ELSE 0 END)::int8 * ($14::int8[])[mi]
      + 500000) / 1000000 END,
    floor(50 + random() * 2000)::int, NULL, status,
    CASE status WHEN 429 THEN 'rate_limit_exceeded' WHEN 500 THEN 'server_error' WHEN 400 THEN 'invalid_request_error' END,
    random() < 0.4, false
  FROM e`;

// The day's rollups, from the events just written (ids above the previous maximum).
const rollupSql = `
  INSERT INTO "UsageRollup" (hour, "orgId", "projectId", "apiKeyId", "userId", model, requests, errors, "rateLimited",
    "promptTokens", "cachedTokens", "completionTokens", "costMicros")
  SELECT date_trunc('hour', "createdAt"), "orgId", "projectId", coalesce("apiKeyId", ''), coalesce("userId", ''), model,
    count(*), count(*) FILTER (WHERE status >= 400), count(*) FILTER (WHERE status = 429),
    sum("promptTokens"), sum("cachedTokens"), sum("completionTokens"), sum("costMicros")
  FROM "UsageEvent" WHERE id > $1 AND "orgId" = $2
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (hour, "orgId", "projectId", "apiKeyId", "userId", model) DO UPDATE SET
    requests = "UsageRollup".requests + EXCLUDED.requests,
    errors = "UsageRollup".errors + EXCLUDED.errors,
    "rateLimited" = "UsageRollup"."rateLimited" + EXCLUDED."rateLimited",
    "promptTokens" = "UsageRollup"."promptTokens" + EXCLUDED."promptTokens",
    "cachedTokens" = "UsageRollup"."cachedTokens" + EXCLUDED."cachedTokens",
    "completionTokens" = "UsageRollup"."completionTokens" + EXCLUDED."completionTokens",
    "costMicros" = "UsageRollup"."costMicros" + EXCLUDED."costMicros"`;

let written = 0;
let rollupRows = 0;
let chunk = 0;
const CHUNK = 250_000; // events per statement at most (bounded memory on the server)
for (let d = 0; d < days; d++) {
  const dayStart = firstDay + d * 86_400_000;
  let left = perDay[d];
  while (left > 0) {
    const n = Math.min(CHUNK, left);
    await client.query("BEGIN");
    const maxId = (await client.query(`SELECT coalesce(max(id), 0)::text AS m FROM "UsageEvent"`)).rows[0].m;
    await client.query(eventSql, [
      // Ordered request ids: the requestId index then grows at its right edge. Random ones made
      // a 10M seed about three times slower once that index outgrew memory (the dashboard never reads it).
      `req_${orgId.slice(4)}_${String(d).padStart(4, "0")}_${String(chunk++).padStart(4, "0")}_`, n, 86_400, callers.length,
      callers.map((c) => c.key), callers.map((c) => c.project), callers.map((c) => c.user),
      models.map((m) => m[0]), models.length, dayStart / 1000, orgId,
      models.map((m) => m[1]), models.map((m) => m[2]), models.map((m) => m[3]),
    ]);
    const r = await client.query(rollupSql, [maxId, orgId]);
    await client.query("COMMIT");
    rollupRows += r.rowCount;
    written += n;
    left -= n;
  }
  if (d % 5 === 4 || d === days - 1) {
    const rate = Math.round(written / ((performance.now() - started) / 1000));
    console.log(`day ${String(d + 1).padStart(3)}/${days}: ${written.toLocaleString("en-US")} events, ${rollupRows.toLocaleString("en-US")} rollup upserts, ${elapsed()} (${rate.toLocaleString("en-US")} events/s)`);
  }
}

console.log(`analyzing… (${elapsed()})`);
await client.query(`ANALYZE "UsageEvent"`);
await client.query(`ANALYZE "UsageRollup"`);
const counts = (await client.query(
  `SELECT (SELECT count(*) FROM "UsageEvent" WHERE "orgId" = $1)::int8::text AS events, (SELECT count(*) FROM "UsageRollup" WHERE "orgId" = $1)::int8::text AS rollups`,
  [orgId],
)).rows[0];
console.log(`done in ${elapsed()}: organization ${orgId}, ${Number(counts.events).toLocaleString("en-US")} events, ${Number(counts.rollups).toLocaleString("en-US")} rollup rows`);
await client.end();
