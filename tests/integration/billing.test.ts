import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { db, useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { checkBudgetAlerts, getBudgets, setAlertWebhook, setBudget } from "@/lib/billing/budgets";
import { expireCredits, getBalance, listLedger, postCredit, postUsageCharges } from "@/lib/billing/ledger";
import { formatUsd, parseAmount } from "@/lib/billing/money";
import { getAutoRecharge, registerPaymentProvider, runAutoRecharge, setAutoRecharge } from "@/lib/billing/payments";
import { createRedemptionCodes, listRedemptionCodes, redeemCode, revokeRedemptionCode } from "@/lib/billing/redemption";
import { invalidateBillingSettings, setTierRequirement, updateBillingSettings } from "@/lib/billing/settings";
import { reserveSpend, resetSpendGuard, settleSpend, SpendRefused, spendState } from "@/lib/billing/spend-guard";
import { getStatement } from "@/lib/billing/statements";
import { advanceTiers, getTierProgress } from "@/lib/billing/tiers";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { flushUsage, recordUsage, type UsageEventInput } from "@/lib/usage/recorder";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { rejectsWith, signUp } from "../helpers/fixtures";

// The billing machinery on a real database: the ledger and its arithmetic, idempotent posting
// of usage from the rollups, expiries, redemption codes, tier advancement, budgets and their
// alerts, statements, and the spend guard the API uses to refuse requests past a limit.

const DAY = 86_400_000;

// The webhook receiver below listens on loopback, which alerts may only call when allowed.
process.env.ALLOW_PRIVATE_WEBHOOK_URLS = "true";

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

function event(orgId: string, projectId: string, cost: bigint, extra: Partial<UsageEventInput> = {}): UsageEventInput {
  return {
    requestId: `req_${Math.random().toString(36).slice(2)}`, orgId, projectId, apiKeyId: null, userId: null, endpoint: "chat.completions",
    model: "m-test", provider: "local", promptTokens: 10, cachedTokens: 0, completionTokens: 5, costMicros: cost, latencyMs: 3, ttftMs: null,
    status: 200, errorCode: null, streamed: false, cancelled: false, ...extra,
  };
}

async function ledgerSum(orgId: string) {
  const prisma = await db();
  return (await prisma.creditEntry.aggregate({ where: { orgId }, _sum: { amountMicros: true } }))._sum.amountMicros ?? 0n;
}

describe("amounts", () => {
  it("parses dollars exactly and formats micro-dollars", () => {
    assert.deepEqual(parseAmount("$1,250.000001"), { ok: true, micros: 1_250_000_001n });
    assert.deepEqual(parseAmount("0.1"), { ok: true, micros: 100_000n });
    assert.deepEqual(parseAmount(""), { ok: true, micros: null });
    assert.equal(parseAmount("-3").ok, false);
    assert.deepEqual(parseAmount("-3", { allowNegative: true }), { ok: true, micros: -3_000_000n });
    assert.equal(parseAmount("0.0000001").ok, false);
    assert.equal(parseAmount("0").ok, false);
    assert.equal(parseAmount("abc").ok, false);
    assert.equal(parseAmount("99999999999").ok, false);
    assert.equal(formatUsd(5_000_000n), "$5.00");
    assert.equal(formatUsd(123n), "$0.000123");
    assert.equal(formatUsd(-1_250_500_000n), "-$1,250.50");
  });
});

for (const kind of KINDS) {
  describe(`billing on ${kind}`, () => {
    let t: TestDatabase;
    let admin: Awaited<ReturnType<typeof signUp>>;
    let owner: Awaited<ReturnType<typeof signUp>>;

    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
      invalidateBillingSettings();
      resetSpendGuard();
      admin = await signUp("billing-admin"); // the first account administers the instance
      owner = await signUp("billing-owner");
    });
    after(async () => {
      await flushUsage();
      await t.drop();
    });

    it("grants the sign-up credit once and keeps the balance equal to the ledger", async () => {
      const b = await getBalance(owner.orgId);
      assert.equal(b.ledgerMicros, 5_000_000n);
      assert.equal(b.availableMicros, 5_000_000n);
      await postCredit(admin.actor, { orgId: owner.orgId, kind: "topup", amount: "20", description: "" });
      await postCredit(admin.actor, { orgId: owner.orgId, kind: "adjustment", amount: "-0.25", description: "Refund correction" });
      await postCredit(admin.actor, { orgId: owner.orgId, kind: "grant", amount: "1.000001", description: "", requestKey: "k1" });
      await postCredit(admin.actor, { orgId: owner.orgId, kind: "grant", amount: "1.000001", description: "", requestKey: "k1" }); // double submit
      assert.equal((await getBalance(owner.orgId)).ledgerMicros, 25_750_001n);
      assert.equal(await ledgerSum(owner.orgId), 25_750_001n);
      const page = await listLedger(owner.actor, owner.orgId);
      assert.deepEqual(page.rows.map((r) => r.kind), ["grant", "adjustment", "topup", "grant"]);
    });

    it("refuses bad credit postings and non-admins", async () => {
      await rejectsWith(postCredit(owner.actor, { orgId: owner.orgId, kind: "grant", amount: "5", description: "" }), "forbidden");
      await rejectsWith(postCredit(admin.actor, { orgId: owner.orgId, kind: "grant", amount: "-5", description: "" }), "invalid");
      await rejectsWith(postCredit(admin.actor, { orgId: owner.orgId, kind: "adjustment", amount: "-5", description: "" }), "invalid");
      await rejectsWith(postCredit(admin.actor, { orgId: owner.orgId, kind: "grant", amount: "lots", description: "" }), "invalid");
      await rejectsWith(postCredit(admin.actor, { orgId: "nope", kind: "grant", amount: "1", description: "" }), "not_found");
    });

    it("keeps the ledger append-only", async () => {
      await assert.rejects(t.db.sql.query(`UPDATE "CreditEntry" SET "amountMicros" = 0 WHERE "orgId" = $1`, [owner.orgId]), /append-only/);
      await assert.rejects(t.db.sql.query(`DELETE FROM "CreditEntry" WHERE "orgId" = $1`, [owner.orgId]), /append-only/);
      assert.equal(await ledgerSum(owner.orgId), 25_750_001n);
    });

    it("posts usage from the rollups once, and late events as the difference", async () => {
      const user = await signUp("poster");
      const prisma = await db();
      const p2 = await prisma.project.create({ data: { orgId: user.orgId, name: "Second" } });
      // An organization billed for a while: its usage of the last hours is chargeable.
      await prisma.organization.update({ where: { id: user.orgId }, data: { billingStartedAt: new Date(Date.now() - 7 * 3_600_000) } });
      const random = rng(7);
      const now = new Date();
      const events: UsageEventInput[] = [];
      for (let i = 0; i < 300; i++) {
        const at = new Date(now.getTime() - Math.floor(random() * 6 * 3_600_000));
        events.push(event(user.orgId, random() < 0.5 ? user.projectId : p2.id, BigInt(Math.floor(random() * 5000)), { createdAt: at, model: random() < 0.5 ? "m-a" : "m-b" }));
      }
      for (const e of events) recordUsage(e);
      await flushUsage();
      const total = events.reduce((s, e) => s + e.costMicros, 0n);
      const before = await getBalance(user.orgId);
      assert.equal(before.pendingMicros, total, "everything metered is pending before posting");
      assert.equal(before.availableMicros, 5_000_000n - total);
      await postUsageCharges();
      const afterFirst = await ledgerSum(user.orgId);
      assert.equal(afterFirst, 5_000_000n - total);
      await postUsageCharges(); // the same rollups again: nothing more is charged
      assert.equal(await ledgerSum(user.orgId), afterFirst);
      assert.equal((await getBalance(user.orgId)).pendingMicros, 0n);
      // A late event in an hour already posted: the next run charges just the difference.
      recordUsage(event(user.orgId, user.projectId, 777n, { createdAt: events[0].createdAt, model: events[0].model }));
      await flushUsage();
      await Promise.all([postUsageCharges(), postUsageCharges()]); // two instances at once
      assert.equal(await ledgerSum(user.orgId), afterFirst - 777n);
      const usageRows = await prisma.creditEntry.findMany({ where: { orgId: user.orgId, kind: "usage" } });
      const posted = -usageRows.reduce((s, r) => s + r.amountMicros, 0n);
      assert.equal(posted, total + 777n);
      // Lines are per project, model and hour.
      const keys = new Set(usageRows.filter((r) => r.amountMicros !== -777n).map((r) => `${r.projectId}|${r.model}|${r.periodHour?.toISOString()}`));
      assert.equal(keys.size, usageRows.filter((r) => r.amountMicros !== -777n).length);
    });

    it("charges only usage since billing started for the organization", async () => {
      const user = await signUp("late-starter");
      const prisma = await db();
      recordUsage(event(user.orgId, user.projectId, 1_000n, { createdAt: new Date(Date.now() - 5 * 3_600_000) }));
      await flushUsage();
      await postUsageCharges();
      assert.equal(await ledgerSum(user.orgId), 5_000_000n);
      assert.equal((await getBalance(user.orgId)).pendingMicros, 0n);
      assert.equal(await prisma.creditEntry.count({ where: { orgId: user.orgId, kind: "usage" } }), 0);
    });

    it("writes off what is left of expired credit, never below zero", async () => {
      const user = await signUp("expiry");
      await postCredit(admin.actor, { orgId: user.orgId, kind: "grant", amount: "2", description: "Promo", expiresInDays: "1" });
      recordUsage(event(user.orgId, user.projectId, 500_000n));
      await flushUsage();
      await postUsageCharges();
      const later = new Date(Date.now() + 2 * DAY);
      assert.equal(await expireCredits(later), 1);
      assert.equal(await expireCredits(later), 0, "an entry expires once");
      // $5 sign-up + $2 promo − $0.50 usage; the promo's unspent $1.50 is written off.
      assert.equal(await ledgerSum(user.orgId), 5_000_000n);
    });

    it("redeems codes once per organization, within their uses and expiry", async () => {
      const a = await signUp("redeem-a");
      const b = await signUp("redeem-b");
      const c = await signUp("redeem-c");
      const { codes } = await createRedemptionCodes(admin.actor, { amount: "10", count: 2, maxRedemptions: 2, expiresInDays: "30", creditDays: "" });
      assert.match(codes[0], /^GH(-[A-Z2-9]{4}){4}$/);
      const r = await redeemCode(a.actor, { orgId: a.orgId, code: codes[0].toLowerCase().replace(/-/g, " ") });
      assert.equal(r.amountMicros, 10_000_000n);
      assert.equal(await ledgerSum(a.orgId), 15_000_000n);
      await rejectsWith(redeemCode(a.actor, { orgId: a.orgId, code: codes[0] }), "invalid");
      await redeemCode(b.actor, { orgId: b.orgId, code: codes[0] });
      await rejectsWith(redeemCode(c.actor, { orgId: c.orgId, code: codes[0] }), "invalid"); // used up (2 of 2)
      // Concurrent redemptions of a single-use code: exactly one wins.
      const { codes: [single] } = await createRedemptionCodes(admin.actor, { amount: "1", count: 1, maxRedemptions: 1, expiresInDays: "", creditDays: "" });
      const users = await Promise.all([signUp("race1"), signUp("race2"), signUp("race3")]);
      const results = await Promise.allSettled(users.map((u) => redeemCode(u.actor, { orgId: u.orgId, code: single })));
      assert.equal(results.filter((x) => x.status === "fulfilled").length, 1);
      // Revoked and unknown codes; codes are stored hashed.
      const list = await listRedemptionCodes(admin.actor);
      const second = list.find((x) => codes[1].endsWith(x.codeHint))!;
      await revokeRedemptionCode(admin.actor, { codeId: second.id });
      await rejectsWith(redeemCode(c.actor, { orgId: c.orgId, code: codes[1] }), "invalid");
      await rejectsWith(redeemCode(c.actor, { orgId: c.orgId, code: "GH-AAAA-BBBB-CCCC-DDDD" }), "invalid");
      const prisma = await db();
      const stored = await prisma.redemptionCode.findMany();
      for (const s of stored) for (const code of codes) assert.ok(![s.codeHash, s.codeHint, s.note].some((v) => v.includes(code.slice(3, 12))), "codes are not stored in plain text");
      // Only owners redeem; readers of the organization are refused.
      const reader = await signUp("redeem-reader");
      const inv = await createInvitation(a.actor, a.orgId, { email: reader.email, role: "reader", projects: [] });
      await acceptInvitation(reader.actor, inv.token);
      await rejectsWith(redeemCode(reader.actor, { orgId: a.orgId, code: codes[1] }), "forbidden");
    });

    it("throttles guessing codes", async () => {
      const u = await signUp("guesser");
      for (let i = 0; i < 10; i++) await rejectsWith(redeemCode(u.actor, { orgId: u.orgId, code: `GH-AAAA-AAAA-AAAA-AA${String(i).padStart(2, "2").replace(/[01]/g, "Z")}` }), "invalid");
      await rejectsWith(redeemCode(u.actor, { orgId: u.orgId, code: "GH-AAAA-AAAA-AAAA-AAAA" }), "rate_limited");
    });

    it("advances tiers from payments and days since the first payment, in the audit log", async () => {
      const u = await signUp("tiers");
      const prisma = await db();
      assert.equal((await getTierProgress(u.orgId)).next?.tier, 2);
      await postCredit(admin.actor, { orgId: u.orgId, kind: "grant", amount: "500", description: "" }); // grants are not payments
      assert.deepEqual(await advanceTiers({ orgIds: [u.orgId] }), []);
      await postCredit(admin.actor, { orgId: u.orgId, kind: "topup", amount: "120", description: "" });
      assert.deepEqual(await advanceTiers({ orgIds: [u.orgId] }), [], "tier 2 also needs 7 days since the first payment");
      const progress = await getTierProgress(u.orgId);
      assert.equal(progress.paidMicros, 120_000_000n);
      assert.equal(progress.next?.missingMicros, 0n);
      assert.equal(progress.next?.missingDays, 7);
      const moves = await advanceTiers({ now: new Date(Date.now() + 8 * DAY) });
      assert.deepEqual(moves.filter((m) => m.orgId === u.orgId), [{ orgId: u.orgId, from: 1, to: 3 }]);
      assert.deepEqual(await advanceTiers({ orgIds: [u.orgId], now: new Date(Date.now() + 8 * DAY) }), [], "only once");
      const audit = await prisma.auditEvent.findMany({ where: { orgId: u.orgId, action: "org.tier_advanced" } });
      assert.equal(audit.length, 1);
      assert.equal((audit[0].details as { to: number }).to, 3);
      // Thresholds are editable, in order.
      await rejectsWith(setTierRequirement(admin.actor, { tier: 3, paid: "10", days: "7" }), "invalid");
      await setTierRequirement(admin.actor, { tier: 4, paid: "110", days: "7" });
      assert.deepEqual((await advanceTiers({ orgIds: [u.orgId], now: new Date(Date.now() + 8 * DAY) })).map((m) => m.to), [4]);
      await rejectsWith(setTierRequirement(owner.actor, { tier: 4, paid: "1", days: "1" }), "forbidden");
    });

    it("budget reservations under 50 concurrent requests never overshoot the cap by more than one reservation", async () => {
      const u = await signUp("budget-race");
      const cap = 100_000n;
      await setBudget(u.actor, { orgId: u.orgId, projectId: u.projectId, cap: "0.1", alert: "0.05" });
      const limits = { orgId: u.orgId, projectId: u.projectId, credit: true, orgCapMicros: null, projectCapMicros: cap };
      const random = rng(42);
      let admitted = 0;
      let refusedCount = 0;
      let maxReservation = 0n;
      let charged = 0n;
      const run = async (i: number) => {
        const reservation = 3_000n + BigInt(Math.floor(random() * 9_000));
        if (reservation > maxReservation) maxReservation = reservation;
        try {
          const r = await reserveSpend(limits, reservation);
          admitted++;
          await new Promise((res) => setTimeout(res, Math.floor(random() * 30)));
          const cost = (reservation * BigInt(50 + Math.floor(random() * 51))) / 100n; // 50–100% of the reservation
          charged += cost;
          recordUsage(event(u.orgId, u.projectId, cost));
          settleSpend(r, u.orgId, u.projectId, cost);
          if (i % 7 === 0) await flushUsage();
        } catch (err) {
          assert.ok(err instanceof SpendRefused, String(err));
          assert.equal(err.scope, "project");
          refusedCount++;
        }
      };
      // Several waves, so later requests see spend settled, written and re-read.
      for (let wave = 0; wave < 3; wave++) await Promise.all(Array.from({ length: 50 }, (_, i) => run(wave * 50 + i)));
      await flushUsage();
      assert.ok(admitted > 5 && refusedCount > 50, `admitted ${admitted}, refused ${refusedCount}`);
      assert.ok(charged <= cap + maxReservation, `charged ${charged} > cap ${cap} + one reservation ${maxReservation}`);
      assert.ok(charged <= cap, "with costs within their reservations the cap is never exceeded at all");
      const state = spendState("project", u.projectId)!;
      assert.equal(state.reserved, 0n, "every reservation was released");
      // The budget view agrees with what was charged; the alert and the cap alert are raised once.
      const view = await getBudgets(u.actor, u.orgId);
      assert.equal(view.projects.find((p) => p.projectId === u.projectId)?.spentMicros, charged);
      const raised = await checkBudgetAlerts();
      const mine = raised.filter((a) => a.orgId === u.orgId).map((a) => a.kind).sort();
      assert.ok(mine.includes("alert"));
      assert.deepEqual((await checkBudgetAlerts()).filter((a) => a.orgId === u.orgId), [], "once per month");
    });

    it("sends each budget alert to the organization's webhook once", async () => {
      const u = await signUp("webhook");
      const received: Record<string, string>[] = [];
      const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
          received.push(JSON.parse(body));
          res.end("ok");
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      try {
        const port = (server.address() as { port: number }).port;
        await rejectsWith(setAlertWebhook(u.actor, { orgId: u.orgId, url: "ftp://example.com/hook" }), "invalid");
        await setAlertWebhook(u.actor, { orgId: u.orgId, url: `http://127.0.0.1:${port}/hook` });
        await setBudget(u.actor, { orgId: u.orgId, cap: "", alert: "0.001" });
        recordUsage(event(u.orgId, u.projectId, 1_500n));
        await flushUsage();
        const raised = (await checkBudgetAlerts()).filter((a) => a.orgId === u.orgId);
        assert.deepEqual(raised.map((a) => [a.kind, a.delivery]), [["alert", "sent"]]);
        await checkBudgetAlerts();
        assert.equal(received.length, 1);
        assert.equal(received[0].type, "budget.alert");
        assert.equal(received[0].organization_id, u.orgId);
        assert.equal(received[0].threshold_usd, "$0.001");
        assert.equal(received[0].spent_usd, "$0.0015");
        const view = await getBudgets(u.actor, u.orgId);
        assert.equal(view.alerts.length, 1);
        assert.equal(view.webhookUrl, `http://127.0.0.1:${port}/hook`);
      } finally {
        server.close();
      }
    });

    it("refuses once prepaid credit is used up, and admits again after credit is added", async () => {
      const u = await signUp("credit-out");
      const limits = { orgId: u.orgId, projectId: u.projectId, credit: true, orgCapMicros: null, projectCapMicros: null };
      const r = await reserveSpend(limits, 4_000_000n);
      recordUsage(event(u.orgId, u.projectId, 4_999_000n));
      settleSpend(r, u.orgId, u.projectId, 4_999_000n);
      await assert.rejects(reserveSpend(limits, 2_000n), (e) => e instanceof SpendRefused && e.scope === "credit");
      await flushUsage();
      await postUsageCharges();
      const { codes } = await createRedemptionCodes(admin.actor, { amount: "1", count: 1, maxRedemptions: 1, expiresInDays: "", creditDays: "" });
      await redeemCode(u.actor, { orgId: u.orgId, code: codes[0] });
      const again = await reserveSpend(limits, 2_000n); // the redemption applies at once
      settleSpend(again, u.orgId, u.projectId, 0n);
      // The instance switch: enforcement can be turned off.
      await updateBillingSettings(admin.actor, { signupCredit: "5", signupCreditDays: "", enforceCredit: "off" });
      await updateBillingSettings(admin.actor, { signupCredit: "5", signupCreditDays: "", enforceCredit: "on" });
    });

    it("statements add up: closing = opening + the month's lines", async () => {
      const u = await signUp("statement");
      await postCredit(admin.actor, { orgId: u.orgId, kind: "topup", amount: "3", description: "" });
      recordUsage(event(u.orgId, u.projectId, 1_234n, { model: "m-x", promptTokens: 100, completionTokens: 40 }));
      recordUsage(event(u.orgId, u.projectId, 66n, { model: "m-y" }));
      await flushUsage();
      await postUsageCharges();
      const month = new Date().toISOString().slice(0, 7);
      const s = await getStatement(u.actor, u.orgId, month);
      assert.equal(s.openingMicros, 0n);
      assert.equal(s.usageTotalMicros, 1_300n);
      assert.equal(s.creditsTotalMicros, 8_000_000n);
      assert.equal(s.closingMicros, 8_000_000n - 1_300n);
      assert.equal(s.closingMicros, await ledgerSum(u.orgId));
      const x = s.usageLines.find((l) => l.model === "m-x")!;
      assert.equal(x.promptTokens, 100n);
      assert.equal(x.requests, 1);
      await rejectsWith(getStatement(u.actor, u.orgId, "2026-13"), "invalid");
      await rejectsWith(getStatement(owner.actor, u.orgId, month), "not_found");
    });

    it("auto-recharges through a payment provider only when one is configured", async () => {
      const u = await signUp("recharge");
      await setAutoRecharge(u.actor, { orgId: u.orgId, enabled: "on", threshold: "10", amount: "20", monthlyCap: "30" });
      assert.equal((await getAutoRecharge(u.actor, u.orgId)).provider, null);
      assert.deepEqual(await runAutoRecharge(), [], "no provider: nothing is charged");
      const charges: string[] = [];
      registerPaymentProvider({ name: "Test processor", async charge(req) { charges.push(req.idempotencyKey); return { paymentId: `pay_${charges.length}` }; } });
      try {
        const first = await runAutoRecharge();
        assert.deepEqual(first.filter((x) => x.orgId === u.orgId).map((x) => x.amountMicros), [20_000_000n]);
        assert.deepEqual((await runAutoRecharge()).filter((x) => x.orgId === u.orgId), [], "the balance is above the threshold now");
        assert.equal(await ledgerSum(u.orgId), 25_000_000n);
        assert.equal((await getAutoRecharge(u.actor, u.orgId)).rechargedThisMonthMicros, 20_000_000n);
      } finally {
        registerPaymentProvider(null);
      }
      await rejectsWith(setAutoRecharge(u.actor, { orgId: u.orgId, enabled: "on", threshold: "10", amount: "50", monthlyCap: "30" }), "invalid");
    });
  });
}
