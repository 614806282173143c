#!/usr/bin/env node
// Usage dashboard queries against a seeded PostgreSQL database (scripts/seed-usage.mjs), for
// the last 1/7/30/90 days and each grouping, beside a baseline: the same aggregate computed
// from the raw UsageEvent rows instead of the hourly rollups.
//
//   node --conditions=react-server --import tsx scripts/bench-usage.mjs [--url URL] [--org ORG_ID] [--runs 7] [--baseline-runs 3] [--tz ZONE]
//
// Printed per view: "view" = what the page waits for (the dashboard's aggregate, run as
// concurrent slices of the range, the filter options and the label look-ups, as the page runs
// them), measured in this process. The other columns are server-side execution times (EXPLAIN
// ANALYZE, TIMING OFF) of the SQL: the series aggregate (what the page's view runs), the
// breakdown and totals aggregates (each summed over the slices: the work the server does), and
// the baseline, the series aggregate computed from UsageEvent in one statement. The ratio is
// baseline / series.
// --tz sets the organization's time zone for the run (restored afterwards).
import pg from "pg";
import { useDatabase as attachDatabase } from "../lib/db/index.ts";
import { openDatabase } from "../lib/db/database.ts";
import { aggregateSql, dashboardFor, resolveUsageQuery, sliceRange, usageFilterOptions } from "../lib/usage/queries.ts";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const url = arg("url", process.env.USAGE_BENCH_URL ?? "postgres://postgres@127.0.0.1:5432/gatehouse_usage_bench");
const runs = Number(arg("runs", "7"));
const baselineRuns = Number(arg("baseline-runs", "3"));
const zone = arg("tz", null);

const database = await openDatabase({ databaseUrl: url, dataDir: "/tmp" });
attachDatabase(database);
const client = new pg.Client({ connectionString: url });
await client.connect();

const orgId =
  arg("org", null) ??
  (await client.query(`SELECT "orgId" FROM "UsageRollup" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0]?.orgId;
if (!orgId) throw new Error("No usage in this database: run scripts/seed-usage.mjs first.");
const owner = (await client.query(`SELECT "userId" FROM "OrgMembership" WHERE "orgId" = $1 AND role = 'owner' LIMIT 1`, [orgId])).rows[0];
if (!owner) throw new Error(`Organization ${orgId} has no owner.`);
const actor = { userId: owner.userId };
const originalZone = (await client.query(`SELECT "timeZone" FROM "Organization" WHERE id = $1`, [orgId])).rows[0].timeZone;
if (zone) await client.query(`UPDATE "Organization" SET "timeZone" = $2 WHERE id = $1`, [orgId, zone]);

const counts = (await client.query(
  `SELECT (SELECT count(*) FROM "UsageEvent" WHERE "orgId" = $1)::text AS events, (SELECT count(*) FROM "UsageRollup" WHERE "orgId" = $1)::text AS rollups`,
  [orgId],
)).rows[0];
console.log(`organization ${orgId}: ${Number(counts.events).toLocaleString("en-US")} events, ${Number(counts.rollups).toLocaleString("en-US")} rollup rows; time zone ${zone ?? originalZone}`);
console.log(`runs: ${runs} per query (${baselineRuns} for the baseline), after one warm-up run; times in ms, p50 / max\n`);

/**
 * The dashboard's aggregate (sums per bucket and group over the whole range), computed from
 * the raw events in one statement: rollup columns derived per event, PostgreSQL free to use
 * its parallel workers.
 */
function baselineSql(q) {
  const sql = aggregateSql(q, "bucket");
  const params = [...sql.params];
  const p = (v) => (params.push(v), `$${params.length}`);
  const utc = (d) => d.toISOString().replace("T", " ").replace("Z", "");
  const events = `(SELECT date_trunc('hour', "createdAt") AS hour, "orgId", "projectId", coalesce("apiKeyId", '') AS "apiKeyId",
      coalesce("userId", '') AS "userId", model, 1 AS requests, (status >= 400)::int AS errors, (status = 429)::int AS "rateLimited",
      "promptTokens", "cachedTokens", "completionTokens", "costMicros"
    FROM "UsageEvent" WHERE "orgId" = ${p(q.orgId)} AND "createdAt" >= ${p(utc(q.from))}::timestamp AND "createdAt" < ${p(utc(q.to))}::timestamp) AS r`;
  // Without the rollup query's OFFSET 0 fence: here the planner's own choice is the fair baseline.
  const text = sql.text.replace(`FROM "UsageRollup" WHERE`, `FROM ${events} WHERE`).replace(" OFFSET 0", "");
  if (text === sql.text) throw new Error("unexpected aggregate SQL");
  return { text, params };
}

/** Server-side execution time of the view's aggregate over its slices (summed: the work done). */
async function slicesMs(q, by) {
  let ms = 0;
  for (const r of sliceRange(q)) ms += await serverMs(aggregateSql(q, by, r));
  return ms;
}

async function serverMs(sql) {
  const r = await client.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql.text}`, sql.params);
  const plan = r.rows[0]["QUERY PLAN"];
  return (typeof plan === "string" ? JSON.parse(plan) : plan)[0]["Execution Time"];
}

async function sample(n, fn) {
  await fn(); // warm-up (plans, caches)
  const t = [];
  for (let i = 0; i < n; i++) t.push(await fn());
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor((t.length - 1) / 2)], max: t.at(-1) };
}

const wall = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const f = (s) => `${s.p50.toFixed(1).padStart(7)} /${s.max.toFixed(1).padStart(7)}`;
const head = ["range", "group", "bucket", "slices", "view (page)", "series SQL", "breakdown SQL", "totals SQL", "baseline (events)", "ratio"];
console.log(`${head[0].padEnd(5)} ${head[1].padEnd(7)} ${head[2].padEnd(6)} ${head[3].padStart(6)} ${head.slice(4, 9).map((h) => h.padStart(17)).join(" ")} ${head[9].padStart(7)}`);

const worst = { view: 0, name: "" };
for (const range of ["1d", "7d", "30d", "90d"]) {
  for (const group of ["model", "project", "key", "user"]) {
    const q = await resolveUsageQuery(actor, orgId, { range, group });
    const view = await sample(runs, () => wall(() => Promise.all([dashboardFor(q, 8), usageFilterOptions(actor, q)])));
    const series = await sample(runs, () => slicesMs(q, "bucket"));
    const breakdown = await sample(runs, () => slicesMs(q, "group"));
    const totals = await sample(runs, () => slicesMs(q, "total"));
    const base = await sample(baselineRuns, () => serverMs(baselineSql(q)));
    if (view.p50 > worst.view) Object.assign(worst, { view: view.p50, name: `${range} by ${group}` });
    console.log(
      `${range.padEnd(5)} ${group.padEnd(7)} ${q.bucket.padEnd(6)} ${String(sliceRange(q).length).padStart(6)} ${[view, series, breakdown, totals, base].map(f).join(" ")} ${`${(base.p50 / series.p50).toFixed(0)}x`.padStart(7)}`,
    );
  }
}
console.log(`\nslowest view (p50): ${worst.name}, ${worst.view.toFixed(1)} ms (target: 300 ms)`);

if (zone) await client.query(`UPDATE "Organization" SET "timeZone" = $2 WHERE id = $1`, [orgId, originalZone]);
await client.end();
await database.close();
