import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { db, useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { costBreakdown, formatMicros, formatPico, headerPairs, rateLimitFrom } from "@/lib/requests/format";
import { decodeCursor, encodeCursor, parseRequestParams, requestsHref, statusMatches, type RequestQueryInput } from "@/lib/requests/params";
import { storedRequestToPlaygroundConfig } from "@/lib/requests/playground";
import {
  getRequestDetail, listRequests, loadStoredRequestForPlayground, pageSql, requestFilterOptions, resolveRequestQuery, type ResolvedRequestQuery,
} from "@/lib/requests/queries";
import { zonedToUtc } from "@/lib/requests/time";
import { flushUsage, recordUsage, type UsageEventInput } from "@/lib/usage/recorder";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { rejectsWith, signUp } from "../helpers/fixtures";

// The request log reads raw usage events in keyset pages. These tests write random events
// (with many identical timestamps) through the recorder and check every page and filter
// against the same filter applied here to the raw events, ordered by the ids the database gave.

const NOW = new Date("2026-11-15T10:17:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MODELS = ["m-alpha", "m-beta", ""];
const OUTCOMES: { status: number; errorCode: string | null }[] = [
  { status: 200, errorCode: null },
  { status: 200, errorCode: null },
  { status: 200, errorCode: null },
  { status: 400, errorCode: "invalid_request_error" },
  { status: 404, errorCode: "model_not_found" },
  { status: 429, errorCode: "rate_limit_exceeded" },
  { status: 499, errorCode: "client_closed_request" },
  { status: 500, errorCode: "internal_error" },
  { status: 503, errorCode: "server_error" },
];

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

type Fixture = {
  owner: Awaited<ReturnType<typeof signUp>>;
  reader: Awaited<ReturnType<typeof signUp>>;
  outsider: Awaited<ReturnType<typeof signUp>>;
  p1: string;
  p2: string;
  keys: Record<"ownerA" | "ownerB" | "reader" | "service", string>;
  events: (UsageEventInput & { id: bigint })[];
  foreign: UsageEventInput;
};

async function setUp(seed: number): Promise<Fixture> {
  const prisma = await db();
  const owner = await signUp("owner");
  const reader = await signUp("reader");
  const outsider = await signUp("outsider");
  await prisma.orgMembership.create({ data: { orgId: owner.orgId, userId: reader.userId, role: "reader" } });
  const p1 = owner.projectId;
  const p2 = (await prisma.project.create({ data: { orgId: owner.orgId, name: "Second" }, select: { id: true } })).id;
  await prisma.projectMembership.create({ data: { projectId: p1, userId: reader.userId, role: "member" } });
  const key = async (projectId: string, name: string, ownerUserId: string | null) =>
    (
      await prisma.apiKey.create({
        data: { projectId, name, secretHash: crypto.randomBytes(32).toString("hex"), redactedValue: "sk-proj-...abcd", permissions: { mode: "all" }, ownerUserId },
        select: { id: true },
      })
    ).id;
  const keys = {
    ownerA: await key(p1, "owner A", owner.userId),
    ownerB: await key(p2, "owner B", owner.userId),
    reader: await key(p1, "reader key", reader.userId),
    service: await key(p2, "service", null),
  };
  const callers = [
    { projectId: p1, apiKeyId: keys.ownerA, userId: owner.userId },
    { projectId: p2, apiKeyId: keys.ownerB, userId: owner.userId },
    { projectId: p1, apiKeyId: keys.reader, userId: reader.userId },
    { projectId: p2, apiKeyId: keys.service, userId: null },
    { projectId: p1, apiKeyId: null, userId: owner.userId }, // playground
    { projectId: p1, apiKeyId: null, userId: reader.userId }, // playground
  ];
  const r = rng(seed);
  const inputs: UsageEventInput[] = [];
  const stamps: number[] = [];
  for (let i = 0; i < 600; i++) {
    // Denser near now; a third reuse an earlier timestamp exactly, so pages split ties.
    let at: number;
    if (stamps.length && r() < 0.35) at = stamps[Math.floor(r() * stamps.length)];
    else {
      at = NOW.getTime() - Math.floor(Math.pow(r(), 2) * 40 * DAY);
      stamps.push(at);
    }
    const c = callers[Math.floor(r() * callers.length)];
    const o = OUTCOMES[Math.floor(r() * OUTCOMES.length)];
    const ok = o.status === 200;
    const prompt = ok ? Math.floor(r() * 3000) : 0;
    inputs.push({
      requestId: `req_${seed}_${i}`, createdAt: new Date(at), orgId: owner.orgId, ...c,
      endpoint: r() < 0.85 ? "chat.completions" : "embeddings", model: ok ? MODELS[Math.floor(r() * 2)] : MODELS[Math.floor(r() * 3)],
      provider: "test", promptTokens: prompt, cachedTokens: Math.floor(prompt * r() * 0.5), completionTokens: ok ? Math.floor(r() * 900) : 0,
      costMicros: ok ? BigInt(Math.floor(r() * 50_000) + 1) : 0n, latencyMs: Math.floor(r() * 5000), ttftMs: r() < 0.5 ? Math.floor(r() * 500) : null,
      status: o.status, errorCode: o.errorCode, streamed: r() < 0.5, cancelled: o.status === 499,
    });
  }
  // Another organization's request, at the newest time: it must never show in this one.
  const outsiderKey = await key(outsider.projectId, "outsider", outsider.userId);
  const foreign: UsageEventInput = {
    ...inputs[0], requestId: "req_foreign_1", createdAt: NOW, orgId: outsider.orgId, projectId: outsider.projectId, apiKeyId: outsiderKey, userId: outsider.userId,
  };
  for (const e of [...inputs, foreign]) recordUsage(e);
  await flushUsage();
  // The ids the database gave: they order ties.
  const ids = new Map((await prisma.usageEvent.findMany({ select: { id: true, requestId: true } })).map((x) => [x.requestId, x.id]));
  const events = inputs.map((e) => ({ ...e, id: ids.get(e.requestId)! }));
  return { owner, reader, outsider, p1, p2, keys, events, foreign };
}

// ---- The reference: filters over raw events ----

function expected(fx: Fixture, q: ResolvedRequestQuery): string[] {
  const from = q.from.getTime();
  const to = q.to?.getTime() ?? Infinity;
  return fx.events
    .filter((e) => {
      const t = e.createdAt!.getTime();
      if (t < from || t >= to) return false;
      if (q.userId !== null && e.userId !== q.userId) return false;
      if (q.project && e.projectId !== q.project) return false;
      if (q.key !== undefined && e.apiKeyId !== q.key) return false;
      if (q.model !== null && e.model !== q.model) return false;
      if (q.status && !statusMatches(q.status, e.status)) return false;
      if (q.code && e.errorCode !== q.code) return false;
      return true;
    })
    .sort((a, b) => b.createdAt!.getTime() - a.createdAt!.getTime() || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0))
    .map((e) => e.requestId);
}

/** Every page of a view, following the cursors; returns the request ids in order. */
async function allPages(actor: { userId: string }, orgId: string, input: RequestQueryInput, pageSize: number) {
  const out: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const q = await resolveRequestQuery(actor, orgId, { ...input, cursor }, { now: NOW });
    const page = await listRequests(q, pageSize);
    assert.ok(page.rows.length <= pageSize);
    if (page.nextCursor) assert.equal(page.rows.length, pageSize, "only the last page is short");
    out.push(...page.rows.map((r) => r.requestId));
    pages++;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    assert.ok(pages < 1000, "pagination ends");
  }
  return out;
}

for (const kind of KINDS) {
  describe(`request log on ${kind}`, () => {
    let t: TestDatabase;
    let fx: Fixture;
    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
      fx = await setUp(kind === "pglite" ? 3 : 5);
    });
    after(() => t.drop());

    const view = (input: RequestQueryInput, actor = fx.owner.actor) => resolveRequestQuery(actor, fx.owner.orgId, input, { now: NOW });

    it("keyset pages return every event exactly once, newest first, ties ordered by id", async () => {
      const ties = new Set<number>();
      const seen = new Set<number>();
      for (const e of fx.events) {
        const ms = e.createdAt!.getTime();
        if (seen.has(ms)) ties.add(ms);
        seen.add(ms);
      }
      assert.ok(ties.size > 50, `the fixture has many tied timestamps (${ties.size})`);
      for (const pageSize of [1, 7, 50]) {
        const got = await allPages(fx.owner.actor, fx.owner.orgId, { range: "30d" }, pageSize);
        const want = expected(fx, await view({ range: "30d" }));
        assert.equal(new Set(got).size, got.length, `no duplicates (page size ${pageSize})`);
        assert.deepEqual(got, want, `page size ${pageSize}`);
      }
    });

    it("each filter equals the same filter over the raw events", async () => {
      const custom = { range: "custom" as const, from: "2026-10-20T08:30", to: "2026-11-12" };
      const inputs: RequestQueryInput[] = [
        { range: "1h" }, { range: "24h" }, { range: "7d" }, { range: "30d" }, custom, { range: "custom", from: "2026-11-01" }, { range: "custom", to: "2026-11-10T12:00" },
        { range: "30d", project: fx.p1 }, { range: "30d", project: fx.p2 },
        { range: "30d", key: "playground" }, { range: "30d", key: fx.keys.reader }, { range: "30d", key: fx.keys.service },
        { range: "30d", model: "m-beta" }, { range: "30d", model: "m-alpha", project: fx.p2 },
        { range: "30d", status: "2xx" }, { range: "30d", status: "4xx" }, { range: "30d", status: "5xx" }, { range: "30d", status: "429" },
        { range: "30d", status: "404" }, { range: "30d", status: "499" }, { range: "30d", status: "errors" }, { range: "30d", status: "201" },
        { range: "30d", code: "rate_limit_exceeded" }, { range: "30d", code: "model_not_found", status: "4xx" }, { range: "30d", code: "nope" },
        { ...custom, project: fx.p1, key: "playground", status: "2xx", model: "m-alpha" },
        { range: "30d", scope: "me" },
      ];
      let nonEmpty = 0;
      for (const [i, input] of inputs.entries()) {
        const ctx = JSON.stringify(input);
        const q = await view(input);
        const want = expected(fx, q);
        if (want.length) nonEmpty++;
        assert.deepEqual(await allPages(fx.owner.actor, fx.owner.orgId, input, i % 2 ? 13 : 50), want, ctx);
      }
      assert.ok(nonEmpty >= inputs.length - 3, `most views have rows (${nonEmpty})`);
      // The foreign event is the newest of all, in the same instant as NOW: never here.
      const first = await listRequests(await view({ range: "1h" }));
      assert.ok(!first.rows.some((r) => r.requestId === fx.foreign.requestId));
    });

    it("a custom range reads the organization's wall clock", async () => {
      await (await db()).organization.update({ where: { id: fx.owner.orgId }, data: { timeZone: "Asia/Kolkata" } });
      try {
        const q = await view({ range: "custom", from: "2026-11-10T00:00", to: "2026-11-10" });
        // Midnight in Kolkata (+05:30) is 18:30 UTC the day before; the whole day is included.
        assert.equal(q.from.toISOString(), "2026-11-09T18:30:00.000Z");
        assert.equal(q.to?.toISOString(), "2026-11-10T18:30:00.000Z");
        assert.deepEqual(await allPages(fx.owner.actor, fx.owner.orgId, { range: "custom", from: "2026-11-10T00:00", to: "2026-11-10" }, 50), expected(fx, q));
        const page = await listRequests(await view({ range: "30d" }));
        const row = page.rows[0];
        assert.match(row.timeLocal, /\+05:30$/);
        assert.equal(Date.parse(row.timeLocal), Date.parse(row.createdAt));
      } finally {
        await (await db()).organization.update({ where: { id: fx.owner.orgId }, data: { timeZone: "UTC" } });
      }
      // Daylight saving: a skipped wall time reads as just after the jump; a repeated one as its first occurrence.
      assert.equal(new Date(zonedToUtc("America/New_York", "2026-03-08T02:30")).toISOString(), "2026-03-08T07:30:00.000Z");
      assert.equal(new Date(zonedToUtc("America/New_York", "2026-11-01T01:30")).toISOString(), "2026-11-01T05:30:00.000Z");
      assert.equal(new Date(zonedToUtc("Asia/Kathmandu", "2026-11-01")).toISOString(), "2026-10-31T18:15:00.000Z");
    });

    it("members see only their own requests; other organizations see none", async () => {
      const mine = await allPages(fx.reader.actor, fx.owner.orgId, { range: "30d" }, 50);
      const q = await view({ range: "30d" }, fx.reader.actor);
      assert.equal(q.userId, fx.reader.userId);
      const want = fx.events.filter((e) => e.userId === fx.reader.userId && e.createdAt!.getTime() >= q.from.getTime());
      assert.equal(mine.length, want.length);
      assert.deepEqual(mine, expected(fx, q));
      assert.ok(fx.events.some((e) => e.userId !== fx.reader.userId), "others have requests too");
      // Filtering by someone else's key or project finds nothing of theirs.
      assert.deepEqual(await allPages(fx.reader.actor, fx.owner.orgId, { range: "30d", key: fx.keys.ownerA }, 50), []);
      assert.deepEqual(await allPages(fx.reader.actor, fx.owner.orgId, { range: "30d", project: fx.p2 }, 50), []);
      await rejectsWith(view({ range: "30d", scope: "org" }, fx.reader.actor), "forbidden");
      await rejectsWith(resolveRequestQuery(fx.outsider.actor, fx.owner.orgId, { range: "30d" }, { now: NOW }), "not_found");
      // A hand-edited view (its user filter removed) is refused.
      assert.throws(() => Object.assign(q, { userId: null }), TypeError);
      await assert.rejects(listRequests({ ...q, userId: null }), /made by resolveRequestQuery/);

      // The filters offer a member only their own keys (and the playground) and projects.
      const options = await requestFilterOptions(fx.reader.actor, q);
      assert.deepEqual(options.keys.map((k) => k.id).sort(), ["playground", fx.keys.reader].sort());
      assert.deepEqual(options.projects.map((p) => p.id), [fx.p1]);
      const all = await requestFilterOptions(fx.owner.actor, await view({ range: "30d" }));
      assert.equal(all.keys.length, 5);
      assert.equal(all.projects.length, 2);
    });

    it("details: everything on the event, bodies only with their own event, never another organization's", async () => {
      const prisma = await db();
      await prisma.model.upsert({
        where: { id: "m-alpha" },
        create: { id: "m-alpha", provider: "test", upstreamId: "m-alpha", contextWindow: 4096, capabilities: ["chat"], inputPriceMicros: 150_000, cachedInputPriceMicros: 75_000, outputPriceMicros: 600_000 },
        update: { inputPriceMicros: 150_000, cachedInputPriceMicros: 75_000, outputPriceMicros: 600_000 },
      });
      const ownerEvent = fx.events.find((e) => e.userId === fx.owner.userId && e.model === "m-alpha" && e.status === 200 && e.promptTokens > 0 && e.cachedTokens > 0)!;
      const readerEvent = fx.events.find((e) => e.userId === fx.reader.userId && e.endpoint === "chat.completions")!;
      const request = { model: "m-alpha", messages: [{ role: "user", content: "Hello there" }], temperature: 0.3 };
      const response = { object: "chat.completion", choices: [{ message: { role: "assistant", content: "Hi" } }] };
      await prisma.requestBody.create({
        data: {
          requestId: ownerEvent.requestId, projectId: ownerEvent.projectId, request, response,
          headers: { "x-request-id": ownerEvent.requestId, "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499", "x-ratelimit-reset-requests": "120ms" },
        },
      });
      // A body with the reader's request id, stored for another organization's project: never shown with the reader's event.
      await prisma.requestBody.create({ data: { requestId: readerEvent.requestId, projectId: fx.outsider.projectId, request: { secret: "other org" } } });
      await prisma.project.update({ where: { id: ownerEvent.projectId }, data: { storeBodies: true } });

      const d = (await getRequestDetail(fx.owner.actor, fx.owner.orgId, ownerEvent.requestId))!;
      assert.ok(d);
      assert.equal(d.requestId, ownerEvent.requestId);
      assert.equal(d.createdAt, ownerEvent.createdAt!.toISOString());
      assert.equal(d.status, ownerEvent.status);
      assert.equal(d.costMicros, ownerEvent.costMicros.toString());
      assert.equal(d.promptTokens, ownerEvent.promptTokens);
      const keyNames = new Map<string | null, string>([[fx.keys.ownerA, "owner A"], [fx.keys.ownerB, "owner B"], [null, "Playground"]]);
      assert.equal(d.keyName, keyNames.get(ownerEvent.apiKeyId));
      assert.equal(d.userLabel, "owner");
      assert.equal(d.projectStoresBodies, true);
      assert.deepEqual(JSON.parse(d.bodies!.request.text), request);
      assert.deepEqual(JSON.parse(d.bodies!.response!.text), response);
      assert.deepEqual(d.rateLimit, { requests: { limit: "500", remaining: "499", reset: "120ms" }, tokens: null, retryAfter: null });
      assert.ok(d.bodies!.headers!.some(([k, v]) => k === "x-request-id" && v === ownerEvent.requestId));
      assert.equal(d.playgroundHref, ownerEvent.endpoint === "chat.completions" ? `/projects/${ownerEvent.projectId}/playground?request=${ownerEvent.requestId}` : null);
      // Cost at today's prices: uncached × input + cached × cached input + output × output, rounded half up once.
      const uncached = ownerEvent.promptTokens - ownerEvent.cachedTokens;
      const pico = BigInt(uncached) * 150_000n + BigInt(ownerEvent.cachedTokens) * 75_000n + BigInt(ownerEvent.completionTokens) * 600_000n;
      assert.deepEqual(d.cost.lines.map((l) => [l.tokens, l.amountPico]), [
        [uncached, String(BigInt(uncached) * 150_000n)],
        [ownerEvent.cachedTokens, String(BigInt(ownerEvent.cachedTokens) * 75_000n)],
        [ownerEvent.completionTokens, String(BigInt(ownerEvent.completionTokens) * 600_000n)],
      ]);
      assert.equal(d.cost.todayMicros, String((pico + 500_000n) / 1_000_000n));
      assert.equal(d.cost.differs, d.cost.todayMicros !== ownerEvent.costMicros.toString());

      // The reader: their own request (without the other organization's body), not the owner's.
      const rd = (await getRequestDetail(fx.reader.actor, fx.owner.orgId, readerEvent.requestId))!;
      assert.equal(rd.requestId, readerEvent.requestId);
      assert.equal(rd.bodies, null);
      assert.equal(rd.playgroundHref, null);
      assert.equal(await getRequestDetail(fx.reader.actor, fx.owner.orgId, ownerEvent.requestId), null);
      // Another organization's request id asked in this organization: not found, for its owner too.
      assert.equal(await getRequestDetail(fx.owner.actor, fx.owner.orgId, fx.foreign.requestId), null);
      assert.equal(await getRequestDetail(fx.outsider.actor, fx.outsider.orgId, ownerEvent.requestId), null);
      // This organization's detail asked by a non-member: the organization is not found.
      await rejectsWith(getRequestDetail(fx.outsider.actor, fx.owner.orgId, ownerEvent.requestId), "not_found");
      // Nonsense ids are simply not found.
      assert.equal(await getRequestDetail(fx.owner.actor, fx.owner.orgId, "' OR 1=1 --"), null);
      assert.equal(await getRequestDetail(fx.owner.actor, fx.owner.orgId, "x".repeat(500)), null);
      await prisma.project.update({ where: { id: ownerEvent.projectId }, data: { storeBodies: false } });
    });

    it("a stored chat request opens in the playground for those who may see it", async () => {
      const prisma = await db();
      const event = fx.events.find((e) => e.userId === fx.owner.userId && e.projectId === fx.p1 && e.endpoint === "chat.completions" && e.status === 200)!;
      const embedding = fx.events.find((e) => e.userId === fx.owner.userId && e.projectId === fx.p1 && e.endpoint === "embeddings")!;
      const unstored = fx.events.find((e) => e.userId === fx.owner.userId && e.projectId === fx.p1 && e.endpoint === "chat.completions" && e !== event)!;
      await prisma.requestBody.create({
        data: {
          requestId: event.requestId, projectId: event.projectId,
          request: {
            model: "m-alpha",
            messages: [
              { role: "system", content: "Be brief." },
              { role: "user", content: [{ type: "text", text: "Look:" }, { type: "image_url", image_url: { url: "https://example.com/a.png" } }] },
              { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{\"q\":1}" } }] },
              { role: "tool", tool_call_id: "call_1", content: "42" },
            ],
            temperature: 0.2, top_p: 0.9, max_tokens: 64, seed: 7, stop: "END", n: 2,
            response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
            tools: [{ type: "function", function: { name: "lookup", description: "Looks up", parameters: { type: "object", properties: { q: { type: "number" } } } } }],
            tool_choice: { type: "function", function: { name: "lookup" } },
            parallel_tool_calls: false,
          },
        },
      });
      await prisma.requestBody.create({ data: { requestId: embedding.requestId, projectId: embedding.projectId, request: { model: "m-alpha", input: "x" } } });

      const loaded = await loadStoredRequestForPlayground(fx.owner.actor, fx.p1, event.requestId);
      assert.ok(loaded.ok, JSON.stringify(loaded));
      assert.equal(loaded.config.model, "m-alpha");
      assert.equal(loaded.config.system, "Be brief.");
      assert.deepEqual(loaded.config.messages, [
        { role: "user", content: "Look:", images: ["https://example.com/a.png"] },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{\"q\":1}" } }] },
        { role: "tool", tool_call_id: "call_1", content: "42" },
      ]);
      assert.deepEqual(loaded.config.parameters, { temperature: 0.2, topP: 0.9, maxCompletionTokens: 64, frequencyPenalty: 0, presencePenalty: 0, seed: 7, stop: ["END"] });
      assert.equal(loaded.config.responseFormat.type, "json_schema");
      assert.deepEqual(loaded.config.tools.map((x) => [x.name, x.description, JSON.parse(x.parameters)]), [["lookup", "Looks up", { type: "object", properties: { q: { type: "number" } } }]]);
      assert.deepEqual(loaded.config.toolChoice, { function: "lookup" });
      assert.equal(loaded.config.parallelToolCalls, false);
      assert.ok(loaded.notes.some((n) => n.includes("“n”")), "n has no playground setting");

      const reasonOf = async (actor: { userId: string }, projectId: string, requestId: string) => {
        const r = await loadStoredRequestForPlayground(actor, projectId, requestId);
        return r.ok ? "ok" : r.reason;
      };
      assert.equal(await reasonOf(fx.owner.actor, fx.p1, unstored.requestId), "not_stored");
      assert.equal(await reasonOf(fx.owner.actor, fx.p1, embedding.requestId), "not_chat");
      assert.equal(await reasonOf(fx.owner.actor, fx.p2, event.requestId), "not_found"); // another project
      assert.equal(await reasonOf(fx.owner.actor, fx.p1, "req_missing"), "not_found");
      // The reader is a member of the project, but the request is the owner's.
      assert.equal(await reasonOf(fx.reader.actor, fx.p1, event.requestId), "not_found");
      await rejectsWith(loadStoredRequestForPlayground(fx.outsider.actor, fx.p1, event.requestId), "not_found");
    });

    it("bad views are refused with clear messages, never a crash", async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ range: "2d" }, /Unknown period/],
        [{ range: "custom" }, /needs a “From” or a “To”/],
        [{ range: "custom", from: "2026-11-10T10:00", to: "2026-11-09" }, /“From” must be before “To”/],
        [{ range: "custom", from: "2026-02-30" }, /not a real date/],
        [{ range: "custom", from: "yesterday" }, /must be a date and time like/],
        [{ range: "custom", from: "1999-12-31" }, /2000 or later/],
        [{ status: "6xx" }, /Unknown status/],
        [{ status: "42" }, /Unknown status/],
        [{ code: "a b" }, /error code has only/],
        [{ project: "../etc" }, /project filter/],
        [{ key: "k".repeat(80) }, /API key filter/],
        [{ model: "bad\u0001model" }, /control characters/],
        [{ cursor: "not-a-cursor" }, /page link is not valid/],
        [{ cursor: encodeCursor({ createdMs: 1, id: "1" }) + "!" }, /page link is not valid/],
        [{ scope: "everyone" }, /Unknown scope/],
      ];
      for (const [params, message] of cases) {
        const parsed = parseRequestParams(new URLSearchParams(params));
        assert.equal(parsed.ok, false, JSON.stringify(params));
        if (!parsed.ok) assert.match(parsed.errors.join(" "), message, JSON.stringify(params));
        await rejectsWith(view(params as RequestQueryInput), "invalid");
      }
      await rejectsWith(view({ range: "custom", from: "2027-01-01" }), "invalid");
      await rejectsWith(view({ range: "30d", extra: "x" } as RequestQueryInput), "invalid");
      // Presets ignore custom dates left in the URL; a malformed ?id= only closes the drawer.
      const lenient = parseRequestParams(new URLSearchParams({ range: "7d", from: "garbage", id: "<script>" }));
      assert.ok(lenient.ok);
      assert.equal(lenient.id, null);
      // URLs round-trip.
      const href = requestsHref("/orgs/o/requests", { range: "custom", from: "2026-11-01T10:00", to: "2026-11-02", project: "p", key: "playground", model: "a b", status: "429", code: "rate_limit_exceeded", id: "req_1" });
      const back = parseRequestParams(new URL(href, "http://x").searchParams);
      assert.ok(back.ok);
      assert.deepEqual(JSON.parse(JSON.stringify({ ...back.query, id: back.id })), { range: "custom", from: "2026-11-01T10:00", to: "2026-11-02", project: "p", key: "playground", model: "a b", status: "429", code: "rate_limit_exceeded", id: "req_1" });
      assert.deepEqual(decodeCursor(encodeCursor({ createdMs: 1763201820123, id: "9223372036854775807" })), { createdMs: 1763201820123, id: "9223372036854775807" });
      assert.equal(decodeCursor(btoa("1.99999999999999999999").replace(/=+$/, "")), null);
    });

    it("exact money, rate limits and headers", () => {
      assert.equal(formatMicros(0), "$0.00");
      assert.equal(formatMicros(42), "$0.000042");
      assert.equal(formatMicros(2_500_000), "$2.50");
      assert.equal(formatMicros("1234567890123"), "$1,234,567.890123");
      assert.equal(formatPico(1_800_000n), "$0.0000018");
      // Past 2^53 micro-dollars the digits are still exact.
      assert.equal(formatMicros("9007199254740993"), "$9,007,199,254.740993");
      const b = costBreakdown({ inputPriceMicros: 150_000, cachedInputPriceMicros: null, outputPriceMicros: 600_000 }, { promptTokens: 10, cachedTokens: 4, completionTokens: 3 }, "3");
      assert.deepEqual(b.lines.map((l) => [l.tokens, l.priceMicros, l.amountPico]), [[6, 150_000, "900000"], [4, 150_000, "600000"], [3, 600_000, "1800000"]]);
      assert.equal(b.todayMicros, "3"); // 3.3 µ$ rounds to 3
      assert.equal(b.differs, false);
      assert.equal(costBreakdown({ inputPriceMicros: 150_000, cachedInputPriceMicros: null, outputPriceMicros: 600_000 }, { promptTokens: 10, cachedTokens: 4, completionTokens: 3 }, "5").differs, true);
      assert.equal(costBreakdown(null, { promptTokens: 1, cachedTokens: 0, completionTokens: 1 }, "5").modelKnown, false);
      const headers = headerPairs({ "X-RateLimit-Remaining-Tokens": "10", "retry-after": "3", nested: { no: 1 }, "x-request-id": "req_1" });
      assert.deepEqual(headers, [["retry-after", "3"], ["x-ratelimit-remaining-tokens", "10"], ["x-request-id", "req_1"]]);
      assert.deepEqual(rateLimitFrom(headers), { requests: null, tokens: { limit: null, remaining: "10", reset: null }, retryAfter: "3" });
      assert.equal(rateLimitFrom([["x-request-id", "a"]]), null);
      assert.equal(headerPairs(null), null);
      assert.equal(storedRequestToPlaygroundConfig({ messages: "no" }).ok, false);
      assert.equal(storedRequestToPlaygroundConfig([]).ok, false);
    });

    if (kind === "postgres") {
      it("pages read the index in order, however deep, on a large table", async () => {
        // An organization with 300,000 events over 30 days (ties included), written straight
        // in SQL: only at this size does the planner's choice say anything about production.
        const bulk = await signUp("bulk");
        const bulkKey = `key_${crypto.randomBytes(4).toString("hex")}`;
        const client = new pg.Client({ connectionString: t.url });
        await client.connect();
        try {
          await client.query(
            `INSERT INTO "UsageEvent" ("requestId", "createdAt", "orgId", "projectId", "apiKeyId", "userId", endpoint, model, "latencyMs", status, "errorCode")
             SELECT 'req_bulk_' || g, $1::timestamp - ((g / 3) * interval '8 milliseconds'), $2, $3,
                    CASE WHEN g % 3 = 0 THEN NULL ELSE $4 END, CASE WHEN g % 3 = 1 THEN NULL ELSE $5 END,
                    'chat.completions', 'm-alpha', 10, CASE WHEN g % 50 = 0 THEN 500 WHEN g % 20 = 0 THEN 429 ELSE 200 END,
                    CASE WHEN g % 50 = 0 THEN 'internal_error' WHEN g % 20 = 0 THEN 'rate_limit_exceeded' END
             FROM generate_series(1, 300000) g`,
            [NOW.toISOString().replace("T", " ").replace("Z", ""), bulk.orgId, bulk.projectId, bulkKey, bulk.userId],
          );
          await client.query(`ANALYZE "UsageEvent"`);
          const bulkView = (input: RequestQueryInput) => resolveRequestQuery(bulk.actor, bulk.orgId, input, { now: NOW });
          const plan = async (input: RequestQueryInput) => {
            const sql = pageSql(await bulkView(input));
            const rows = await client.query(`EXPLAIN ${sql.text}`, sql.params);
            return rows.rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
          };
          // A cursor deep in the history: the 250,000th row.
          const deep = (await client.query(
            `SELECT id::text, (extract(epoch from "createdAt") * 1000)::bigint::text AS ms FROM "UsageEvent" WHERE "orgId" = $1 ORDER BY "createdAt" DESC, id DESC OFFSET 250000 LIMIT 1`,
            [bulk.orgId],
          )).rows[0];
          const cursor = encodeCursor({ createdMs: Number(deep.ms), id: deep.id });
          for (const input of [{ range: "30d" }, { range: "30d", cursor }, { range: "7d", status: "5xx" }, { range: "30d", scope: "me", cursor }, { range: "30d", key: "playground" }] as RequestQueryInput[]) {
            const p = await plan(input);
            const ctx = `${JSON.stringify(input)}\n${p}`;
            // The organization's time index, or one of its narrower companions (errors only; a member's own).
            assert.match(p, /Index Scan Backward using "UsageEvent_orgId_(createdAt|createdAt_errors|userId_createdAt)_idx"/, ctx);
            // Rows come in index order: at most the ties of one instant are sorted, never the range.
            assert.doesNotMatch(p, /(^|->\s*)Sort\b/m, ctx);
          }
          assert.match(await plan({ range: "30d", project: bulk.projectId }), /Index Scan Backward using "UsageEvent_(projectId|orgId)_createdAt_idx"/);
          // And the deep page is as quick as the first (no OFFSET: the index range starts at the cursor).
          const timed = async (input: RequestQueryInput) => {
            const sql = pageSql(await bulkView(input));
            const res = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql.text}`, sql.params);
            const top = (res.rows[0]["QUERY PLAN"] as { Plan: { "Actual Rows": number } ; "Execution Time": number }[])[0];
            return { ms: top["Execution Time"], rows: top.Plan["Actual Rows"] };
          };
          const firstPage = await timed({ range: "30d" });
          const deepPage = await timed({ range: "30d", cursor });
          assert.equal(deepPage.rows, 51);
          assert.ok(deepPage.ms < Math.max(50, firstPage.ms * 20), `deep page ${deepPage.ms} ms, first page ${firstPage.ms} ms`);
          const page = await listRequests(await bulkView({ range: "30d", cursor }));
          assert.equal(page.rows.length, 50);
          assert.ok(Date.parse(page.rows[0].createdAt) <= Number(deep.ms));
        } finally {
          await client.query(`DELETE FROM "UsageEvent" WHERE "orgId" = $1`, [bulk.orgId]).catch(() => {});
          await client.end();
        }
      });
    }
  });
}
