import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

// The organization's Limits page: what it reads (tier progress, tier limits, each project's
// limits as the API enforces them, keys' own limits) and what it changes (keys' limits, and the
// tier requirements administrators edit), against PGlite and PostgreSQL.

process.env.AUTH_SECRET ??= "limits-page-test-secret-".padEnd(48, "x");
delete process.env.UPSTREAM_BASE_URL;

const { useDatabase } = await import("@/lib/db");
const { migrate } = await import("@/lib/db/migrate");
const { getProjectPolicy, invalidateProjectPolicy } = await import("@/lib/gateway/policy");
const { addProjectMember, createProject } = await import("@/lib/projects/projects");
const { createInvitation, acceptInvitation } = await import("@/lib/orgs/invitations");
const { createApiKey, revokeApiKey } = await import("@/lib/keys/api-keys");
const { resolveApiKey } = await import("@/lib/keys/resolve-api-key");
const { setApiKeyLimits } = await import("@/lib/keys/key-limits");
const { getLimitsOverview } = await import("@/lib/limits/overview");
const limits = await import("@/lib/admin/limits");
const projectSettings = await import("@/lib/admin/project-api-settings");
const { getTierProgress } = await import("@/lib/billing/tiers");
const { listTierRequirements, setTierRequirement } = await import("@/lib/billing/settings");
const { missingText } = await import("@/components/limits/format");
const { KINDS, openTestDatabase } = await import("../helpers/databases");
const { rejectsWith, signUp } = await import("../helpers/fixtures");
type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;
type User = Awaited<ReturnType<typeof signUp>>;

const DAY_MS = 86_400_000;

async function refusedFields(p: Promise<unknown>, code = "invalid"): Promise<Record<string, string>> {
  const err = await rejectsWith(p, code);
  return (err as unknown as { fieldErrors: Record<string, string> }).fieldErrors;
}

async function newKey(u: User, projectId: string, name: string) {
  return createApiKey(u.actor, projectId, { name, owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
}

describe("what is still missing for the next tier", () => {
  it("names the amount and the days, either, or neither", () => {
    assert.equal(missingText(45_000_000n, 3), "Pay $45.00 more and wait 3 more days.");
    assert.equal(missingText(45_000_000n, 0), "Pay $45.00 more.");
    assert.equal(missingText(0n, 1), "Wait 1 more day.");
    assert.equal(missingText(1n, 0), "Pay $0.000001 more.");
    assert.equal(missingText(0n, 0), null);
  });
});

for (const kind of KINDS) {
  describe(`the Limits page on ${kind}`, () => {
    let t: TestDatabase;
    let admin: User;

    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
      admin = await signUp("admin"); // the first account administers the instance
    });
    after(() => t.drop());

    /** A reader of `owner`'s organization, optionally a member of one of its projects. */
    async function reader(owner: User, project?: { id: string; role: "owner" | "member" }) {
      const r = await signUp("reader");
      const invite = await createInvitation(owner.actor, owner.orgId, { email: r.email, role: "reader", projects: [] });
      await acceptInvitation(r.actor, invite.token);
      if (project) await addProjectMember(owner.actor, project.id, r.email, project.role);
      return r;
    }

    it("a project owner sets and clears a key's limits; the API sees them at once; each change is audited", async () => {
      const u = await signUp("owner");
      const { key, secret } = await newKey(u, u.projectId, "ci");
      const before = await resolveApiKey(secret); // cached now
      assert.ok(before.ok && before.key.rpmLimit === null && before.key.tpmLimit === null);

      const set = await setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, rpm: "1,000", tpm: "50000" });
      assert.deepEqual(set, { rpmLimit: 1000, tpmLimit: 50000, changed: true });
      const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      assert.deepEqual([row.rpmLimit, row.tpmLimit], [1000, 50000]);
      const resolved = await resolveApiKey(secret);
      assert.ok(resolved.ok);
      assert.deepEqual([resolved.key.rpmLimit, resolved.key.tpmLimit], [1000, 50000], "the cached key was dropped");

      // The same values again change nothing and record nothing.
      assert.equal((await setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, rpm: 1000, tpm: 50000 })).changed, false);

      // Blank clears one limit; null clears both.
      await setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, rpm: "", tpm: "50000" });
      assert.deepEqual((await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).rpmLimit, null);
      await setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, rpm: null, tpm: null });
      const cleared = await resolveApiKey(secret);
      assert.ok(cleared.ok && cleared.key.rpmLimit === null && cleared.key.tpmLimit === null);

      const events = await t.db.prisma.auditEvent.findMany({
        where: { orgId: u.orgId, action: "api_key.updated", targetId: key.id },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      assert.deepEqual(
        events.map((e) => e.details),
        [{ rpmLimit: 1000, tpmLimit: 50000 }, { rpmLimit: null, tpmLimit: 50000 }, { rpmLimit: null, tpmLimit: null }],
      );
      assert.ok(events.every((e) => e.actorEmail === u.email && e.projectId === u.projectId && e.targetType === "api_key"));

      // Bad values are refused per field, and nothing changes.
      assert.match((await refusedFields(setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, rpm: "0" }))).rpm, /at least 1/);
      assert.match((await refusedFields(setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, tpm: "1.5" }))).tpm, /whole number/);
      assert.match((await refusedFields(setApiKeyLimits(u.actor, { projectId: u.projectId, keyId: key.id, tpm: "3000000000" }))).tpm, /at most/i);
      assert.equal((await t.db.prisma.auditEvent.count({ where: { action: "api_key.updated", targetId: key.id } })), 3);
    });

    it("refuses readers, members, keys of other projects and organizations, and revoked keys", async () => {
      const u = await signUp("owner");
      const second = await createProject(u.actor, u.orgId, "Second");
      const { key } = await newKey(u, u.projectId, "main");
      const { key: otherKey } = await newKey(u, second.id, "other");
      const stranger = await signUp("stranger");
      const { key: strangerKey } = await newKey(stranger, stranger.projectId, "theirs");
      const input = (keyId = key.id, projectId = u.projectId) => ({ projectId, keyId, rpm: "5", tpm: "" });

      const orgReader = await reader(u);
      const member = await reader(u, { id: u.projectId, role: "member" });
      // A reader who owns a project through its membership manages that project's keys.
      const projectOwner = await reader(u, { id: u.projectId, role: "owner" });

      // The org reader is not in the project: it does not exist for them.
      await rejectsWith(setApiKeyLimits(orgReader.actor, input()), "not_found");
      const err = await rejectsWith(setApiKeyLimits(member.actor, input()), "forbidden");
      assert.equal(err.message, "Only project owners can do that.");
      // Refused before the input is judged: no validation message for a caller who may not act.
      await rejectsWith(setApiKeyLimits(member.actor, { projectId: u.projectId, keyId: key.id, rpm: "zero" }), "forbidden");
      await rejectsWith(setApiKeyLimits(stranger.actor, input()), "not_found");
      await rejectsWith(setApiKeyLimits(member.actor, { keyId: key.id } as never), "not_found");

      // A key of another project, even in the same organization, under this project's id.
      await rejectsWith(setApiKeyLimits(u.actor, input(otherKey.id)), "not_found");
      await rejectsWith(setApiKeyLimits(u.actor, input(strangerKey.id)), "not_found");
      await rejectsWith(setApiKeyLimits(u.actor, input(strangerKey.id, stranger.projectId)), "not_found");
      await rejectsWith(setApiKeyLimits(u.actor, input("no-such-key")), "not_found");
      const untouched = await t.db.prisma.apiKey.findMany({ where: { id: { in: [key.id, otherKey.id, strangerKey.id] } } });
      assert.ok(untouched.every((k) => k.rpmLimit === null && k.tpmLimit === null));

      await setApiKeyLimits(projectOwner.actor, input());
      assert.equal((await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).rpmLimit, 5);

      await revokeApiKey(u.actor, u.projectId, key.id);
      const revoked = await rejectsWith(setApiKeyLimits(u.actor, { ...input(), rpm: "9" }), "invalid");
      assert.match(revoked.message, /revoked/);
      assert.equal((await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).rpmLimit, 5);
    });

    it("the overview's limits are exactly what the API enforces, for every project and model", async () => {
      const u = await signUp("overview");
      await limits.setOrgTier(admin.actor, { orgId: u.orgId, tier: "3" });
      await limits.setTierLimit(admin.actor, { tier: "3", model: "*", rpm: "100", tpm: "10,000", rpd: "" });
      await limits.setTierLimit(admin.actor, { tier: "3", model: "ov-capped", rpm: "10", tpm: "", rpd: "500" });
      await t.db.prisma.model.createMany({
        data: [
          { id: "ov-capped", enabled: true },
          { id: "ov-open", enabled: true },
          { id: "ov-third", enabled: true },
          { id: "ov-off", enabled: false },
        ].map((m) => ({ ...m, provider: "local", upstreamId: "/models/x.gguf", contextWindow: 512, capabilities: ["chat"], source: "console" })),
      });
      const alpha = { id: u.projectId };
      const beta = await createProject(u.actor, u.orgId, "Beta");
      const gamma = await createProject(u.actor, u.orgId, "Gamma");
      const archived = await createProject(u.actor, u.orgId, "Archived");
      await t.db.prisma.project.update({ where: { id: archived.id }, data: { status: "archived" } });
      const set = (projectId: string, model: string, v: { rpm?: string; tpm?: string; rpd?: string }) =>
        projectSettings.setProjectModelLimit(u.actor, { projectId, model, ...v });
      // Alpha: an all-models override and two model overrides (one on a disabled model).
      await set(alpha.id, "*", { rpm: "50", rpd: "1000" });
      await set(alpha.id, "ov-capped", { tpm: "700" });
      await set(alpha.id, "ov-third", { rpm: "80", tpm: "9000" });
      await set(alpha.id, "ov-off", { rpm: "3" });
      // Beta: one model. Gamma: none.
      await set(beta.id, "ov-open", { rpm: "20", tpm: "5,000", rpd: "40" });
      // The project service keeps overrides within the tier.
      assert.match((await refusedFields(set(gamma.id, "ov-capped", { rpm: "11" }))).rpm, /At most 10/);

      const { key } = await newKey(u, beta.id, "beta-key");
      await setApiKeyLimits(u.actor, { projectId: beta.id, keyId: key.id, rpm: "7", tpm: "" });

      invalidateProjectPolicy(); // read every policy fresh from the database
      const o = await getLimitsOverview(u.actor, u.orgId);
      assert.equal(o.tier, 3);
      assert.equal(o.orgRole, "owner");
      assert.deepEqual(o.defaultTierLimit, { rpm: 100, tpm: 10000, rpd: null });
      const enabled = (await t.db.prisma.model.findMany({ where: { enabled: true }, orderBy: { id: "asc" } })).map((m) => m.id);
      assert.deepEqual(o.models.map((m) => m.model), enabled);
      assert.deepEqual(o.models.find((m) => m.model === "ov-capped"), { model: "ov-capped", values: { rpm: 10, tpm: null, rpd: 500 }, fromDefault: false });
      assert.deepEqual(o.models.find((m) => m.model === "ov-open"), { model: "ov-open", values: { rpm: 100, tpm: 10000, rpd: null }, fromDefault: true });

      const tierRows = new Map<string, import("@/lib/admin/limits").LimitValues>([
        ["*", { rpm: 100, tpm: 10000, rpd: null }],
        ["ov-capped", { rpm: 10, tpm: null, rpd: 500 }],
      ]);
      // Every active project, in creation order; the archived one is left out.
      assert.deepEqual(o.projects.map((p) => p.id), [alpha.id, beta.id, gamma.id]);
      for (const p of o.projects) {
        assert.equal(p.canManage, true);
        const policy = await getProjectPolicy(p.id);
        assert.equal(policy.tier, o.tier);
        for (const e of p.effective) {
          assert.deepEqual(e.limits, policy.limitsFor(e.model), `${p.name} / ${e.model}`);
          assert.deepEqual(e.tier, limits.tierLimitFor(tierRows, e.model).values);
        }
        // Every enabled model is listed, then models only the project's rows name.
        assert.deepEqual(p.effective.filter((e) => e.enabled).map((e) => e.model), enabled);
      }
      const [a, b, g] = o.projects;
      assert.deepEqual(a.effective.filter((e) => !e.enabled).map((e) => e.model), ["ov-off"]);
      assert.deepEqual(a.overrides.map((r) => r.model), ["*", "ov-capped", "ov-off", "ov-third"]);
      const capped = a.effective.find((e) => e.model === "ov-capped")!;
      assert.deepEqual(capped.limits, { rpm: 10, tpm: 700, rpd: 500 }); // tier rpm 10 beats the project's 50
      assert.deepEqual(capped.tightened, { rpm: false, tpm: true, rpd: false });
      assert.equal(capped.ownRow, true);
      const open = a.effective.find((e) => e.model === "ov-open")!;
      assert.deepEqual(open.limits, { rpm: 50, tpm: 10000, rpd: 1000 });
      assert.equal(open.ownRow, false);
      assert.deepEqual(b.effective.find((e) => e.model === "ov-open")!.limits, { rpm: 20, tpm: 5000, rpd: 40 });
      assert.equal(g.overrides.length, 0);
      assert.ok(g.effective.every((e) => !e.tightened.rpm && !e.tightened.tpm && !e.tightened.rpd));

      // Keys: the project's name, the key's own limits, who may change them.
      const k = o.keys.find((x) => x.id === key.id)!;
      assert.deepEqual(
        { project: k.projectName, rpm: k.rpmLimit, tpm: k.tpmLimit, canManage: k.canManage, redacted: k.redactedValue.startsWith("sk-proj-") },
        { project: "Beta", rpm: 7, tpm: null, canManage: true, redacted: true },
      );
      assert.equal(o.keyCount, o.keys.length);

      // A reader sees only the projects they are in, read-only unless they own one.
      const r = await reader(u, { id: beta.id, role: "member" });
      const ro = await getLimitsOverview(r.actor, u.orgId);
      assert.equal(ro.orgRole, "reader");
      assert.deepEqual(ro.projects.map((p) => [p.name, p.role, p.canManage]), [["Beta", "member", false]]);
      assert.deepEqual(ro.keys.map((x) => [x.name, x.canManage]), [["beta-key", false]]);
      assert.deepEqual(ro.projects[0].effective, b.effective);
      const po = await reader(u, { id: gamma.id, role: "owner" });
      assert.deepEqual((await getLimitsOverview(po.actor, u.orgId)).projects.map((p) => [p.name, p.canManage]), [["Gamma", true]]);
      // Strangers get nothing.
      const stranger = await signUp("stranger");
      await rejectsWith(getLimitsOverview(stranger.actor, u.orgId), "not_found");

      // After a change the overview and the API still agree.
      await projectSettings.removeProjectModelLimit(u.actor, { projectId: alpha.id, model: "*" });
      const again = (await getLimitsOverview(u.actor, u.orgId)).projects[0];
      const policy = await getProjectPolicy(alpha.id);
      for (const e of again.effective) assert.deepEqual(e.limits, policy.limitsFor(e.model), e.model);
    });

    it("the overview shows the tier progress: amount paid, days, and what the next tier still needs", async () => {
      const u = await signUp("progress");
      const now = new Date();
      const fresh = await getLimitsOverview(u.actor, u.orgId, now);
      assert.equal(fresh.progress.tier, 1);
      assert.equal(fresh.progress.paidMicros, 0n);
      assert.equal(fresh.progress.firstPaymentAt, null);

      // A payment of $5 four days ago; tier 2 needs $50 and 7 days (the migration's defaults).
      await t.db.prisma.creditEntry.create({
        data: { orgId: u.orgId, kind: "topup", amountMicros: 5_000_000n, description: "Payment received", createdAt: new Date(now.getTime() - 4 * DAY_MS - 60_000) },
      });
      const o = await getLimitsOverview(u.actor, u.orgId, now);
      assert.deepEqual(o.progress, await getTierProgress(u.orgId, now));
      assert.equal(o.progress.paidMicros, 5_000_000n);
      assert.equal(o.progress.daysSinceFirstPayment, 4);
      assert.ok(o.progress.next);
      assert.equal(o.progress.next.tier, 2);
      assert.equal(missingText(o.progress.next.missingMicros, o.progress.next.missingDays), "Pay $45.00 more and wait 3 more days.");

      await limits.setOrgTier(admin.actor, { orgId: u.orgId, tier: "5" });
      const top = await getLimitsOverview(u.actor, u.orgId, now);
      assert.equal(top.tier, 5);
      assert.equal(top.progress.next, null);
    });

    it("tier requirements: administrators only, and a higher tier never requires less than a lower one", async () => {
      const u = await signUp("plain");
      const before = await listTierRequirements();
      assert.deepEqual(
        before.map((r) => [r.tier, r.paidMicros, r.daysSinceFirstPayment]),
        [[2, 50_000_000n, 7], [3, 100_000_000n, 7], [4, 250_000_000n, 14], [5, 1_000_000_000n, 30]],
      );
      await rejectsWith(setTierRequirement(u.actor, { tier: "3", paid: "100", days: "7" }), "forbidden");

      // Below tier 2, or above tier 4, in amount or in days.
      assert.match((await rejectsWith(setTierRequirement(admin.actor, { tier: "3", paid: "40", days: "7" }), "invalid")).message, /cannot require less than tier 2/);
      assert.match((await rejectsWith(setTierRequirement(admin.actor, { tier: "3", paid: "100", days: "6" }), "invalid")).message, /cannot require less than tier 2/);
      assert.match((await rejectsWith(setTierRequirement(admin.actor, { tier: "3", paid: "300", days: "7" }), "invalid")).message, /cannot require more than tier 4/);
      assert.match((await rejectsWith(setTierRequirement(admin.actor, { tier: "3", paid: "100", days: "15" }), "invalid")).message, /cannot require more than tier 4/);
      // Field by field: what the form shows under each input.
      assert.ok((await refusedFields(setTierRequirement(admin.actor, { tier: "1", paid: "0", days: "0" }))).tier);
      assert.ok((await refusedFields(setTierRequirement(admin.actor, { tier: "3", paid: "-5", days: "7" }))).paid);
      assert.ok((await refusedFields(setTierRequirement(admin.actor, { tier: "3", paid: "", days: "7" }))).paid);
      assert.ok((await refusedFields(setTierRequirement(admin.actor, { tier: "3", paid: "100", days: "seven" }))).days);
      assert.deepEqual(await listTierRequirements(), before, "nothing changed");

      // Equal to a neighbour is fine; the next tier's progress follows.
      await setTierRequirement(admin.actor, { tier: "3", paid: "$250", days: "14" });
      await setTierRequirement(admin.actor, { tier: "2", paid: "25.50", days: "0" });
      const after = await listTierRequirements();
      assert.deepEqual(after.map((r) => [r.tier, r.paidMicros, r.daysSinceFirstPayment]).slice(0, 2), [[2, 25_500_000n, 0], [3, 250_000_000n, 14]]);
      const o = await getLimitsOverview(u.actor, u.orgId);
      assert.equal(o.progress.next?.tier, 2);
      assert.equal(o.progress.next?.missingMicros, 25_500_000n);
      assert.equal(o.progress.next?.missingDays, 0);
      // Put the defaults back for anything that runs after.
      await setTierRequirement(admin.actor, { tier: "2", paid: "50", days: "7" });
      await setTierRequirement(admin.actor, { tier: "3", paid: "100", days: "7" });
    });
  });
}
