import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, it } from "node:test";
import { db, useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { csvCell, csvLine, microsToDollars, parseCsv } from "@/lib/usage/csv";
import { BREAKDOWN_CSV_HEADER, prepareUsageExport, SERIES_CSV_HEADER, sharePercent } from "@/lib/usage/export";
import { parseUsageParams, usageSearchParams, type UsageBucket, type UsageGroup, type UsageQuery, type UsageQueryInput, type UsageRange } from "@/lib/usage/params";
import {
  breakdownFor, dashboardFor, getUsageBreakdown, getUsageDashboard, getUsageSeries, getUsageTotals, resolveUsageQuery,
  seriesFor, totalsFor, type ResolvedUsageQuery, type UsageSums,
} from "@/lib/usage/queries";
import { flushUsage, recordUsage, type UsageEventInput } from "@/lib/usage/recorder";
import { prepareUsageCharts } from "@/components/usage/prepare";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { rejectsWith, signUp } from "../helpers/fixtures";

// The dashboard's queries read only the hourly rollups; these tests write random events
// through the recorder (which keeps the rollups) and check every query against aggregates
// computed here from the raw events, independently of lib/usage/time.ts where possible.

const NOW = new Date("2026-11-15T10:17:00Z"); // two weeks after the end of US daylight time
const HOUR = 3_600_000;
const ZONES = ["UTC", "Asia/Kolkata", "America/New_York", "Asia/Kathmandu"];
const RANGES: UsageRange[] = ["1d", "7d", "30d", "90d", "custom"];
const BUCKETS: UsageBucket[] = ["hour", "day", "month"];
const GROUPS: UsageGroup[] = ["model", "project", "key", "user"];
const MODELS = ["m-alpha", "m-beta", "m,gamma"];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD" in the zone (en-CA writes ISO dates), straight from Intl: independent of lib/usage/time.ts. */
function localDay(tz: string, ms: number) {
  if (!dayFormats.has(tz)) dayFormats.set(tz, new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }));
  return dayFormats.get(tz)!.format(ms);
}

type Fixture = {
  owner: Awaited<ReturnType<typeof signUp>>;
  reader: Awaited<ReturnType<typeof signUp>>;
  outsider: Awaited<ReturnType<typeof signUp>>;
  p1: string;
  p2: string;
  keys: Record<"ownerA" | "ownerB" | "reader" | "service", string>;
  events: UsageEventInput[];
  projectNames: Map<string, string>;
  keyNames: Map<string, string>;
  userNames: Map<string, string>;
};

async function setUp(seed: number): Promise<Fixture> {
  const prisma = await db();
  const owner = await signUp("owner");
  const reader = await signUp("reader");
  const outsider = await signUp("outsider");
  await prisma.orgMembership.create({ data: { orgId: owner.orgId, userId: reader.userId, role: "reader" } });
  const p1 = owner.projectId;
  const p2 = (await prisma.project.create({ data: { orgId: owner.orgId, name: "Second, \"quoted\" project" }, select: { id: true } })).id;
  await prisma.projectMembership.create({ data: { projectId: p1, userId: reader.userId, role: "member" } });
  const sa = await prisma.serviceAccount.create({ data: { projectId: p2, name: "batch" }, select: { id: true } });
  const key = async (projectId: string, name: string, ownerUserId: string | null, serviceAccountId: string | null = null) =>
    (
      await prisma.apiKey.create({
        data: {
          projectId, name, secretHash: crypto.randomBytes(32).toString("hex"), redactedValue: `sk-proj-...${crypto.randomBytes(2).toString("hex")}`,
          permissions: { mode: "all" }, ownerUserId, serviceAccountId,
        },
        select: { id: true },
      })
    ).id;
  const keys = {
    ownerA: await key(p1, "=HYPERLINK(\"http://x\")", owner.userId), // formula injection attempt in a name
    ownerB: await key(p2, "owner, second", owner.userId),
    reader: await key(p1, "reader key", reader.userId),
    service: await key(p2, "nightly", null, sa.id),
  };
  const outsiderKey = await key(outsider.projectId, "outsider", outsider.userId);

  const callers = [
    { projectId: p1, apiKeyId: keys.ownerA, userId: owner.userId },
    { projectId: p2, apiKeyId: keys.ownerB, userId: owner.userId },
    { projectId: p1, apiKeyId: keys.reader, userId: reader.userId },
    { projectId: p2, apiKeyId: keys.service, userId: null },
    { projectId: p1, apiKeyId: null, userId: owner.userId }, // playground
    { projectId: p1, apiKeyId: null, userId: reader.userId }, // playground
  ];
  const r = rng(seed);
  const events: UsageEventInput[] = [];
  const oldest = NOW.getTime() - 100 * 24 * HOUR;
  for (let i = 0; i < 2400; i++) {
    // Denser near now so the short ranges have data in many hours.
    const age = Math.pow(r(), 2.5) * (NOW.getTime() - oldest);
    const createdAt = new Date(NOW.getTime() - age);
    const c = callers[Math.floor(r() * callers.length)];
    const roll = r();
    const status = roll < 0.05 ? 429 : roll < 0.1 ? 500 : 200;
    const model = status !== 200 && r() < 0.3 ? "" : MODELS[Math.floor(r() * MODELS.length)];
    const prompt = status === 200 ? Math.floor(r() * 3000) : 0;
    events.push({
      requestId: `req_${seed}_${i}`, createdAt, orgId: owner.orgId, ...c, endpoint: "chat.completions", model, provider: "test",
      promptTokens: prompt, cachedTokens: Math.floor(prompt * r() * 0.5), completionTokens: status === 200 ? Math.floor(r() * 900) : 0,
      costMicros: status === 200 ? BigInt(Math.floor(r() * 50_000) + 1) : 0n, latencyMs: 10, ttftMs: null, status,
      errorCode: status === 200 ? null : "x", streamed: false, cancelled: false,
    });
  }
  // Another organization's usage, and usage in the future of NOW: neither may ever show.
  const foreign: UsageEventInput[] = [
    { ...events[0], requestId: "req_foreign", orgId: outsider.orgId, projectId: outsider.projectId, apiKeyId: outsiderKey, userId: outsider.userId },
    { ...events[1], requestId: "req_future", createdAt: new Date(NOW.getTime() + 2 * HOUR) },
  ];
  for (const e of [...events, ...foreign]) recordUsage(e);
  await flushUsage();
  return {
    owner, reader, outsider, p1, p2, keys, events,
    projectNames: new Map([[p1, "Default project"], [p2, "Second, \"quoted\" project"]]),
    keyNames: new Map([[keys.ownerA, "=HYPERLINK(\"http://x\")"], [keys.ownerB, "owner, second"], [keys.reader, "reader key"], [keys.service, "nightly"], ["", "Playground"]]),
    userNames: new Map([[owner.userId, "owner"], [reader.userId, "reader"], ["", "—"]]),
  };
}

// ---- The reference: aggregates of raw events ----

const zero = (): UsageSums => ({ requests: 0, errors: 0, rateLimited: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costMicros: 0 });

function add(s: UsageSums, e: UsageEventInput) {
  s.requests += 1;
  if (e.status >= 400) s.errors += 1;
  if (e.status === 429) s.rateLimited += 1;
  s.promptTokens += e.promptTokens;
  s.cachedTokens += e.cachedTokens;
  s.completionTokens += e.completionTokens;
  s.costMicros += Number(e.costMicros);
}

const groupOf = (g: UsageGroup, e: UsageEventInput) =>
  g === "model" ? e.model : g === "project" ? e.projectId : g === "key" ? (e.apiKeyId ?? "") : (e.userId ?? "");

function bucketOf(q: ResolvedUsageQuery, e: UsageEventInput) {
  const hour = Math.floor(e.createdAt!.getTime() / HOUR) * HOUR;
  if (q.bucket === "hour") return new Date(hour).toISOString().slice(0, 13) + ":00:00Z";
  const day = localDay(q.timeZone, hour); // the hour counts for the local day it starts in
  return q.bucket === "day" ? day : day.slice(0, 7);
}

function expected(fx: Fixture, q: ResolvedUsageQuery) {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const keys = new Set(q.keys);
  const rows = fx.events.filter((e) => {
    const hour = Math.floor(e.createdAt!.getTime() / HOUR) * HOUR;
    if (hour < from || hour >= to) return false;
    if (q.userId !== null && e.userId !== q.userId) return false;
    if (q.projects.length && !q.projects.includes(e.projectId)) return false;
    if (q.models.length && !q.models.includes(e.model)) return false;
    if (q.keys.length && !keys.has(e.apiKeyId ?? "")) return false;
    return true;
  });
  const totals = zero();
  const groups = new Map<string, UsageSums>();
  const series = new Map<string, UsageSums>();
  for (const e of rows) {
    const g = groupOf(q.group, e);
    add(totals, e);
    if (!groups.has(g)) groups.set(g, zero());
    add(groups.get(g)!, e);
    const k = `${bucketOf(q, e)}|${g}`;
    if (!series.has(k)) series.set(k, zero());
    add(series.get(k)!, e);
  }
  return { totals, groups, series, count: rows.length };
}

function labelOf(fx: Fixture, g: UsageGroup, id: string) {
  if (g === "model") return id || "Unknown model";
  if (g === "project") return fx.projectNames.get(id)!;
  if (g === "key") return fx.keyNames.get(id)!;
  return fx.userNames.get(id)!;
}

const sumsOnly = (r: UsageSums): UsageSums => ({
  requests: r.requests, errors: r.errors, rateLimited: r.rateLimited, promptTokens: r.promptTokens,
  cachedTokens: r.cachedTokens, completionTokens: r.completionTokens, costMicros: r.costMicros,
});

const FILTERS = (fx: Fixture): Partial<UsageQueryInput>[] => [
  {},
  { projects: [fx.p1] },
  { models: ["m-alpha", "m,gamma"] },
  { keys: ["playground", fx.keys.ownerA] },
  { projects: [fx.p2], models: ["m-beta"] },
];

for (const kind of KINDS) {
  describe(`usage dashboard queries on ${kind}`, () => {
    let t: TestDatabase;
    let fx: Fixture;
    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
      fx = await setUp(kind === "pglite" ? 7 : 11);
    });
    after(() => t.drop());

    const setZone = async (tz: string) => (await db()).organization.update({ where: { id: fx.owner.orgId }, data: { timeZone: tz } });

    it("resolves ranges to whole UTC hours in the organization's time zone", async () => {
      const at = async (tz: string, input: UsageQueryInput) => {
        await setZone(tz);
        const q = await resolveUsageQuery(fx.owner.actor, fx.owner.orgId, input, { now: NOW });
        return [q.from.toISOString(), q.to.toISOString(), q.bucket, q.buckets.length, q.buckets[0], q.buckets.at(-1)];
      };
      // The last 24 hours, through the current hour, whatever the zone.
      assert.deepEqual(await at("Asia/Kolkata", { range: "1d" }), ["2026-11-14T11:00:00.000Z", "2026-11-15T11:00:00.000Z", "hour", 24, "2026-11-14T11:00:00Z", "2026-11-15T10:00:00Z"]);
      // Local today is Nov 15 (15:47 IST); 7 days from Nov 9, whose first whole UTC hour is
      // 19:00 UTC on Nov 8 (00:30 IST): 18:00 UTC starts at 23:30 IST, on Nov 8.
      assert.deepEqual(await at("Asia/Kolkata", { range: "7d" }), ["2026-11-08T19:00:00.000Z", "2026-11-15T11:00:00.000Z", "day", 7, "2026-11-09", "2026-11-15"]);
      assert.deepEqual(await at("UTC", { range: "30d", bucket: "month" }), ["2026-10-17T00:00:00.000Z", "2026-11-15T11:00:00.000Z", "month", 2, "2026-10", "2026-11"]);
      // Across the end of US daylight time (Nov 1): Oct 31 starts at 04:00 UTC, Nov 2 at 05:00.
      assert.deepEqual(await at("America/New_York", { range: "custom", from: "2026-10-31", to: "2026-11-01" }), ["2026-10-31T04:00:00.000Z", "2026-11-02T05:00:00.000Z", "hour", 49, "2026-10-31T04:00:00Z", "2026-11-02T04:00:00Z"]);
      // Kathmandu is +05:45: Nov 1 begins at 18:15 UTC on Oct 31, so its first whole hour is 19:00.
      assert.deepEqual((await at("Asia/Kathmandu", { range: "custom", from: "2026-11-01", to: "2026-11-30", bucket: "day" })).slice(0, 4), ["2026-10-31T19:00:00.000Z", "2026-11-15T11:00:00.000Z", "day", 15]);
    });

    it("series, totals, breakdown and dashboard equal aggregates of the raw events (every zone, range, bucket and grouping)", async () => {
      let checked = 0;
      let nonEmpty = 0;
      for (const tz of ZONES) {
        await setZone(tz);
        for (const [ri, range] of RANGES.entries()) {
          for (const [bi, bucket] of BUCKETS.entries()) {
            for (const [gi, group] of GROUPS.entries()) {
              const filters = FILTERS(fx)[(ri + bi + gi) % 5];
              const input: UsageQueryInput = { range, bucket, group, ...filters, ...(range === "custom" ? { from: "2026-08-20", to: "2026-10-02" } : {}) };
              const ctx = JSON.stringify({ tz, input });
              const query = await resolveUsageQuery(fx.owner.actor, fx.owner.orgId, input, { now: NOW });
              const exp = expected(fx, query);
              assert.deepEqual(await totalsFor(query), exp.totals, ctx);

              const { series, labels } = await seriesFor(query);
              assert.equal(series.length, exp.series.size, ctx);
              for (const r of series) {
                assert.ok(query.buckets.includes(r.bucket), `${ctx}: bucket ${r.bucket} not in the range's buckets`);
                assert.deepEqual(sumsOnly(r), exp.series.get(`${r.bucket}|${r.group}`), `${ctx} ${r.bucket} ${r.group}`);
                assert.equal(labels.get(r.group!)?.label, labelOf(fx, group, r.group!), ctx);
              }

              const rows = await breakdownFor(query);
              assert.equal(rows.length, exp.groups.size, ctx);
              const expTotalCost = exp.totals.costMicros;
              for (const [i, r] of rows.entries()) {
                assert.deepEqual(sumsOnly(r), exp.groups.get(r.group), `${ctx} ${r.group}`);
                assert.equal(r.label, labelOf(fx, group, r.group), ctx);
                assert.equal(r.share, expTotalCost ? r.costMicros / expTotalCost : 0, ctx);
                if (i > 0) assert.ok(rows[i - 1].costMicros >= r.costMicros, `${ctx}: sorted by cost`);
              }

              // The public entry points resolve the same view and return the same (checked on a rotating subset).
              if ((ri + bi + gi) % 6 === 0) {
                assert.deepEqual((await getUsageTotals(fx.owner.actor, fx.owner.orgId, input, { now: NOW })).totals, exp.totals, ctx);
                assert.deepEqual((await getUsageSeries(fx.owner.actor, fx.owner.orgId, input, { now: NOW })).series, series, ctx);
                assert.deepEqual((await getUsageBreakdown(fx.owner.actor, fx.owner.orgId, input, { now: NOW })).rows, rows, ctx);
              }

              // The dashboard's single scan: same breakdown and totals, series folded to the top 2 groups + Other.
              const dash = (ri + bi + gi) % 6 === 0 ? await getUsageDashboard(fx.owner.actor, fx.owner.orgId, input, { now: NOW, topGroups: 2 }) : await dashboardFor(query, 2);
              assert.deepEqual(dash.totals, exp.totals, ctx);
              assert.deepEqual(dash.breakdown, rows, ctx);
              const top = new Set(rows.slice(0, 2).map((r) => r.group));
              const folded = new Map<string, UsageSums>();
              for (const [k, s] of exp.series) {
                const [b, g] = [k.slice(0, k.indexOf("|")), k.slice(k.indexOf("|") + 1)];
                const fk = `${b}|${top.has(g) ? g : "(other)"}`;
                const acc = folded.get(fk) ?? zero();
                for (const f of Object.keys(acc) as (keyof UsageSums)[]) acc[f] += s[f];
                folded.set(fk, acc);
              }
              assert.equal(dash.series.length, folded.size, ctx);
              for (const r of dash.series) assert.deepEqual(sumsOnly(r), folded.get(`${r.bucket}|${r.group ?? "(other)"}`), `${ctx} dash ${r.bucket} ${r.group}`);
              assert.deepEqual(dash.seriesGroups, rows.slice(0, 2).map((r) => r.group).filter((g) => dash.series.some((s) => s.group === g)), ctx);
              checked++;
              if (exp.count > 0) nonEmpty++;
            }
          }
        }
      }
      assert.equal(checked, ZONES.length * RANGES.length * BUCKETS.length * GROUPS.length);
      assert.ok(nonEmpty > checked * 0.8, `most views have data (${nonEmpty}/${checked})`);
    });

    it("members other than owners see only their own usage; owners may choose", async () => {
      await setZone("Asia/Kolkata");
      for (const group of GROUPS) {
        const input: UsageQueryInput = { range: "90d", group };
        const mine = await getUsageBreakdown(fx.reader.actor, fx.owner.orgId, input, { now: NOW });
        assert.equal(mine.query.scope, "me");
        const exp = expected(fx, mine.query);
        assert.ok(exp.count > 0);
        assert.deepEqual(new Map(mine.rows.map((r) => [r.group, sumsOnly(r)])), exp.groups, group);
        assert.ok(fx.events.some((e) => e.userId !== fx.reader.userId), "others have usage too");
        if (group === "user") assert.deepEqual(mine.rows.map((r) => r.group), [fx.reader.userId]);
        // Filters cannot widen it: another user's key simply matches nothing of theirs.
        const other = await getUsageTotals(fx.reader.actor, fx.owner.orgId, { ...input, keys: [fx.keys.ownerA] }, { now: NOW });
        assert.equal(other.totals.requests, 0);
      }
      const ownerOwn = await getUsageTotals(fx.owner.actor, fx.owner.orgId, { range: "90d", scope: "me" }, { now: NOW });
      assert.equal(ownerOwn.query.userId, fx.owner.userId);
      assert.deepEqual(ownerOwn.totals, expected(fx, ownerOwn.query).totals);
      await rejectsWith(getUsageTotals(fx.reader.actor, fx.owner.orgId, { range: "7d", scope: "org" }, { now: NOW }), "forbidden");
      await rejectsWith(getUsageTotals(fx.outsider.actor, fx.owner.orgId, { range: "7d" }, { now: NOW }), "not_found");
      await rejectsWith(prepareUsageExport(fx.outsider.actor, fx.owner.orgId, { range: "7d" }, { rows: "breakdown", now: NOW }), "not_found");
      // Views come only from resolveUsageQuery: an edited or hand-built one is refused.
      const readerView = await resolveUsageQuery(fx.reader.actor, fx.owner.orgId, { range: "90d" }, { now: NOW });
      assert.throws(() => Object.assign(readerView, { userId: null }), TypeError);
      await assert.rejects(totalsFor({ ...readerView, userId: null }), /made by resolveUsageQuery/);
      // The outsider's own organization shows only their event.
      const theirs = await getUsageTotals(fx.outsider.actor, fx.outsider.orgId, { range: "90d" }, { now: NOW });
      assert.equal(theirs.totals.requests, 1);
    });

    it("refuses invalid views with clear messages", async () => {
      const bad = async (input: unknown, pattern: RegExp) => {
        const err = await rejectsWith(getUsageTotals(fx.owner.actor, fx.owner.orgId, input as UsageQueryInput, { now: NOW }), "invalid");
        assert.match(err.message, pattern);
      };
      await bad({ range: "custom", from: "2025-01-01", to: "2026-01-31", bucket: "hour" }, /Hourly buckets cover at most 366 days; this range has 396/);
      await bad({ range: "custom", from: "2026-02-01", to: "2026-01-31" }, /“From” must be on or before “To”/);
      await bad({ range: "custom", from: "2026-02-01" }, /needs both/);
      await bad({ range: "custom", from: "2026-02-30", to: "2026-03-01" }, /not a real date/);
      await bad({ range: "custom", from: "2027-01-01", to: "2027-01-02" }, /in the future/);
      await bad({ range: "custom", from: "2010-01-01", to: "2026-01-01", bucket: "day" }, /at most 1830 days/);
      await bad({ range: "12d" }, /Unknown range/);
      await bad({ range: "7d", bucket: "week" }, /Unknown bucket/);
      await bad({ range: "7d", group: "org" }, /Unknown grouping/);
      await bad({ range: "7d", projects: ["x' OR 1=1 --"] }, /unknown project or key/);
      await bad({ range: "7d", keys: Array.from({ length: 51 }, (_, i) => `k${i}`) }, /at most 50 API keys/);
      await bad({ range: "7d", models: ["a\u0000b"] }, /control characters/);
      await bad({ range: "7d", orgId: "other" }, /Unrecognized key/);
      // A model name is data, never SQL.
      const q = await getUsageTotals(fx.owner.actor, fx.owner.orgId, { range: "7d", models: ["x' OR '1'='1"] }, { now: NOW });
      assert.equal(q.totals.requests, 0);
      // 366 days hourly is still allowed.
      const ok = await resolveUsageQuery(fx.owner.actor, fx.owner.orgId, { range: "custom", from: "2025-11-15", to: "2026-11-15", bucket: "hour" }, { now: NOW });
      assert.equal(ok.bucket, "hour");
    });

    it("URL round trip: the page's search params parse back to the same view", () => {
      const view: UsageQuery = { range: "custom", from: "2026-01-01", to: "2026-01-31", bucket: "day", group: "key", scope: "me", projects: [fx.p1, fx.p2], models: ["m,gamma"], keys: ["playground"] };
      const parsed = parseUsageParams(new URLSearchParams(usageSearchParams(view).toString()));
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.query, view);
      const bad = parseUsageParams({ range: "custom", from: "2026-01-05", to: "2026-01-01" });
      assert.ok(!bad.ok && bad.invalid.has("to"));
    });

    it("CSV export: the breakdown file is exactly the table; the series file equals the series", async () => {
      await setZone("Asia/Kolkata");
      for (const group of GROUPS) {
        const input: UsageQueryInput = { range: "30d", group };
        const exp = await prepareUsageExport(fx.owner.actor, fx.owner.orgId, input, { rows: "breakdown", now: NOW });
        let text = "";
        for await (const chunk of exp.lines) text += chunk;
        const [header, ...lines] = parseCsv(text);
        assert.deepEqual(header, [...BREAKDOWN_CSV_HEADER]);
        const { rows } = await getUsageBreakdown(fx.owner.actor, fx.owner.orgId, input, { now: NOW });
        assert.equal(lines.length, rows.length);
        const unformula = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);
        for (const [i, r] of rows.entries()) {
          assert.deepEqual(lines[i], [
            r.label.startsWith("=") ? `'${r.label}` : r.label, r.detail ?? "", r.group, String(r.requests), String(r.errors), String(r.rateLimited),
            String(r.promptTokens), String(r.cachedTokens), String(r.completionTokens), microsToDollars(r.costMicros), sharePercent(r.share),
          ]);
          assert.equal(unformula(lines[i][0]), r.label);
        }
        assert.equal(exp.filename, `usage-personal-${exp.query.fromDate}-${exp.query.toDate}.csv`);
        assert.equal(exp.query.fromDate, "2026-10-17");

        const ser = await prepareUsageExport(fx.owner.actor, fx.owner.orgId, { ...input, bucket: "hour" }, { rows: "series", now: NOW });
        let chunks = 0;
        text = "";
        for await (const chunk of ser.lines) {
          text += chunk;
          chunks++;
        }
        assert.ok(chunks > 3, "the series arrives in several batches");
        const [sHeader, ...sLines] = parseCsv(text);
        assert.deepEqual(sHeader, [...SERIES_CSV_HEADER]);
        const { series } = await getUsageSeries(fx.owner.actor, fx.owner.orgId, { ...input, bucket: "hour" }, { now: NOW });
        assert.equal(sLines.length, series.length);
        for (const [i, r] of series.entries()) {
          const line = sLines[i];
          // Local time with the zone's offset, for the UTC hour of the row.
          assert.equal(new Date(line[0]).toISOString().slice(0, 13) + ":00:00Z", r.bucket);
          assert.match(line[0], /\+05:30$/);
          assert.deepEqual(line.slice(3), [r.group!, String(r.requests), String(r.errors), String(r.rateLimited), String(r.promptTokens), String(r.cachedTokens), String(r.completionTokens), microsToDollars(r.costMicros)]);
        }
      }
    });
  });
}

describe("usage CSV cells", () => {
  it("quotes, doubles quotes, and defuses formulas", () => {
    assert.equal(csvCell("plain"), "plain");
    assert.equal(csvCell("a,b"), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell("two\nlines"), '"two\nlines"');
    assert.equal(csvCell("=1+2"), "'=1+2");
    assert.equal(csvCell("+1"), "'+1");
    assert.equal(csvCell("-1"), "'-1");
    assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvCell('=HYPERLINK("x",",")'), `"'=HYPERLINK(""x"","","")"`);
    assert.equal(csvCell("\tx"), "'\tx");
    assert.equal(csvCell(-5), "-5"); // numbers are numbers
    assert.equal(csvLine(["a", 1, null]), "a,1,\r\n");
    assert.deepEqual(parseCsv(csvLine(["x,\"y\"\r\nz", "w"])), [["x,\"y\"\r\nz", "w"]]);
    assert.equal(microsToDollars(1_234_567), "1.234567");
    assert.equal(microsToDollars(5), "0.000005");
  });
});

describe("usage chart preparation", () => {
  it("fills every bucket, stacks cost by group with Other, and sums the per-bucket charts", () => {
    const s = (bucket: string, group: string | null, costMicros: number, requests = 1) => ({
      bucket, group, requests, errors: 1, rateLimited: 0, promptTokens: 10, cachedTokens: 0, completionTokens: 5, costMicros,
    });
    const charts = prepareUsageCharts({
      buckets: ["2026-01-01", "2026-01-02", "2026-01-03"],
      bucket: "day",
      timeZone: "UTC",
      series: [s("2026-01-01", "a", 1_500_000), s("2026-01-01", null, 500_000, 3), s("2026-01-03", "b", 250_000)],
      groups: [
        { id: "a", label: "Alpha" },
        { id: "b", label: "Beta" },
      ],
    });
    assert.deepEqual(charts.stacks.map((x) => x.label), ["Alpha", "Beta", "Other"]);
    assert.equal(charts.points.length, 3);
    const [d1, d2, d3] = charts.points;
    assert.equal(d1[charts.stacks[0].key], 1.5);
    assert.equal(d1[charts.stacks[2].key], 0.5);
    assert.equal(d1.requests, 4);
    assert.equal(d1.inputTokens, 20);
    assert.equal(d2.requests, 0);
    assert.equal(d2.costUsd, 0);
    assert.equal(d3[charts.stacks[1].key], 0.25);
    assert.equal(d3.errors, 1);
    assert.equal(d1.label, "Jan 1");
  });
});
