import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { useDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createApiKey, listApiKeys, revokeApiKey, updateApiKey } from "@/lib/keys/api-keys";
import { resolveApiKey } from "@/lib/keys/resolve-api-key";
import { createServiceAccount, deleteServiceAccount } from "@/lib/keys/service-accounts";
import { setProjectArchived } from "@/lib/projects/projects";
import { ensureBootstrap } from "@/lib/bootstrap";
import { parseConfig } from "@/lib/config";
import { hashSecret } from "@/lib/keys/secret";
import { KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";
import { rejectsWith, signUp } from "../helpers/fixtures";

for (const kind of KINDS) {
  describe(`API keys on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
    });
    after(() => t.drop());

    it("stores only a hash and a redacted form; resolves the secret to its project and org", async () => {
      const u = await signUp("keys");
      const { key, secret } = await createApiKey(u.actor, u.projectId, { name: "ci", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      assert.equal(row.secretHash, hashSecret(secret));
      assert.equal(row.redactedValue, `sk-proj-...${secret.slice(-4)}`);
      const dump = JSON.stringify(await t.db.sql.query(`SELECT * FROM "ApiKey"`));
      assert.ok(!dump.includes(secret), "the secret must not be stored");
      const r = await resolveApiKey(secret);
      assert.ok(r.ok);
      assert.equal(r.key.projectId, u.projectId);
      assert.equal(r.key.orgId, u.orgId);
      assert.deepEqual(r.key.permissions, { mode: "all" });
      assert.deepEqual(await resolveApiKey(secret.slice(0, -1) + "0"), { ok: false, reason: "unknown" });
      assert.deepEqual(await resolveApiKey("not a key"), { ok: false, reason: "malformed" });
    });

    it("a cached lookup takes well under a millisecond", async () => {
      const u = await signUp("fast");
      const { secret } = await createApiKey(u.actor, u.projectId, { name: "fast", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      await resolveApiKey(secret);
      const n = 20_000;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await resolveApiKey(secret);
      const perLookupUs = Number(process.hrtime.bigint() - t0) / n / 1000;
      assert.ok(perLookupUs < 100, `cached lookup took ${perLookupUs.toFixed(1)} µs`);
    });

    it("honours revocation, expiry and archived projects", async () => {
      const u = await signUp("rev");
      const a = await createApiKey(u.actor, u.projectId, { name: "a", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      assert.ok((await resolveApiKey(a.secret)).ok);
      await revokeApiKey(u.actor, u.projectId, a.key.id);
      assert.deepEqual(await resolveApiKey(a.secret), { ok: false, reason: "revoked" });

      const soon = new Date(Date.now() + 1500);
      const b = await createApiKey(u.actor, u.projectId, { name: "b", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: soon });
      assert.ok((await resolveApiKey(b.secret)).ok);
      await new Promise((r) => setTimeout(r, 1600));
      assert.deepEqual(await resolveApiKey(b.secret), { ok: false, reason: "expired" });

      const c = await createApiKey(u.actor, u.projectId, { name: "c", owner: { kind: "user" }, permissions: { mode: "read_only" }, expiresAt: null });
      assert.ok((await resolveApiKey(c.secret)).ok);
      await setProjectArchived(u.actor, u.projectId, true);
      assert.deepEqual(await resolveApiKey(c.secret), { ok: false, reason: "project_archived" });
      await rejectsWith(createApiKey(u.actor, u.projectId, { name: "d", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null }), "invalid");
      await setProjectArchived(u.actor, u.projectId, false);
      assert.ok((await resolveApiKey(c.secret)).ok);
    });

    it("another instance sees a revocation within the cache TTL", async () => {
      const u = await signUp("ttl");
      const k = await createApiKey(u.actor, u.projectId, { name: "x", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      assert.ok((await resolveApiKey(k.secret)).ok); // cached here
      // Revoke behind this instance's back, as another instance would.
      await t.db.prisma.apiKey.update({ where: { id: k.key.id }, data: { revokedAt: new Date() } });
      const ttl = Number(process.env.KEY_CACHE_TTL_MS ?? 5000);
      await new Promise((r) => setTimeout(r, ttl + 100));
      assert.deepEqual(await resolveApiKey(k.secret), { ok: false, reason: "revoked" });
    });

    it("edits name and permissions; permission changes apply at once here", async () => {
      const u = await signUp("edit");
      const k = await createApiKey(u.actor, u.projectId, { name: "x", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
      await resolveApiKey(k.secret);
      await updateApiKey(u.actor, u.projectId, k.key.id, { name: "renamed", permissions: { mode: "read_only" } });
      const r = await resolveApiKey(k.secret);
      assert.ok(r.ok);
      assert.deepEqual(r.key.permissions, { mode: "read_only" });
      assert.equal((await listApiKeys(u.actor, u.projectId))[0].name, "renamed");
    });

    it("service accounts own keys; deleting one revokes them", async () => {
      const u = await signUp("sa");
      const sa = await createServiceAccount(u.actor, u.projectId, "deployer");
      const k = await createApiKey(u.actor, u.projectId, { name: "bot", owner: { kind: "service_account", serviceAccountId: sa.id }, permissions: { mode: "all" }, expiresAt: null });
      const r = await resolveApiKey(k.secret);
      assert.ok(r.ok);
      assert.equal(r.key.serviceAccountId, sa.id);
      assert.equal(r.key.ownerUserId, null);
      await deleteServiceAccount(u.actor, u.projectId, sa.id);
      assert.deepEqual(await resolveApiKey(k.secret), { ok: false, reason: "revoked" });
      // a deleted service account cannot own new keys
      await rejectsWith(
        createApiKey(u.actor, u.projectId, { name: "bot2", owner: { kind: "service_account", serviceAccountId: sa.id }, permissions: { mode: "all" }, expiresAt: null }),
        "invalid",
      );
    });

    it("bootstrap variables create admin, org, project and exactly that key, idempotently", async () => {
      const secret = "sk-proj-" + "B".repeat(44) + "boot";
      const config = parseConfig({ BOOTSTRAP_ADMIN_EMAIL: "Root@Example.com", BOOTSTRAP_ADMIN_PASSWORD: "bootstrap-pass-1", BOOTSTRAP_API_KEY: secret });
      const first = await ensureBootstrap(config);
      const second = await ensureBootstrap(config);
      assert.deepEqual(second, first);
      const [a, b] = await Promise.all([ensureBootstrap(config), ensureBootstrap(config)]);
      assert.deepEqual(a, first);
      assert.deepEqual(b, first);
      assert.equal(await t.db.prisma.user.count({ where: { email: "root@example.com" } }), 1);
      assert.equal(await t.db.prisma.apiKey.count({ where: { secretHash: hashSecret(secret) } }), 1);
      const r = await resolveApiKey(secret);
      assert.ok(r.ok);
      assert.equal(r.key.projectId, first!.projectId);
      assert.deepEqual(r.key.permissions, { mode: "all" });
      // A revoked bootstrap key comes back on the next start.
      await t.db.prisma.apiKey.updateMany({ where: { secretHash: hashSecret(secret) }, data: { revokedAt: new Date() } });
      await ensureBootstrap(config);
      const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { secretHash: hashSecret(secret) } });
      assert.equal(row.revokedAt, null);
    });
  });
}
