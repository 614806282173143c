import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

// Instance administration (models, prices, provider connections, tiers) and project API
// settings, against PGlite and PostgreSQL.

// Provider keys are encrypted with the auth secret: give this run its own.
process.env.AUTH_SECRET ??= "admin-test-secret-".padEnd(48, "x");
delete process.env.UPSTREAM_BASE_URL;

const { useDatabase } = await import("@/lib/db");
const { migrate } = await import("@/lib/db/migrate");
const { decryptSecret } = await import("@/lib/crypto/secret-box");
const { getCatalogModel, listCatalogModels } = await import("@/lib/models/catalog");
const { getProjectPolicy } = await import("@/lib/gateway/policy");
const { addProjectMember } = await import("@/lib/projects/projects");
const { createInvitation, acceptInvitation } = await import("@/lib/orgs/invitations");
const { parseDollars, microsToDollars, formatPrice } = await import("@/lib/admin/money");
const models = await import("@/lib/admin/models");
const providers = await import("@/lib/admin/providers");
const limits = await import("@/lib/admin/limits");
const projectSettings = await import("@/lib/admin/project-api-settings");
const { isInstanceAdmin } = await import("@/lib/admin/access");
const { KINDS, openTestDatabase } = await import("../helpers/databases");
const { rejectsWith, signUp } = await import("../helpers/fixtures");
type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

const MODEL_PATH = process.env.TEST_MODEL_PATH ?? path.resolve("../shared/models/stories260K.gguf");

/** Field errors of a refused service call. */
async function refusedFields(p: Promise<unknown>, code = "invalid"): Promise<Record<string, string>> {
  const err = await rejectsWith(p, code);
  return (err as unknown as { fieldErrors: Record<string, string> }).fieldErrors;
}

describe("prices in dollars ↔ micro-dollars", () => {
  it("converts exactly, without floats", () => {
    const cases: [string, number][] = [
      ["0.15", 150_000], ["30", 30_000_000], ["$0.075", 75_000], ["0.000001", 1], ["1,250.5", 1_250_500_000],
      ["0.1", 100_000], ["0.3", 300_000], ["2000", 2_000_000_000], [".5", 500_000], ["0", 0],
    ];
    for (const [input, micros] of cases) assert.deepEqual(parseDollars(input), { ok: true, micros }, input);
    assert.deepEqual(parseDollars(""), { ok: true, micros: null });
    assert.deepEqual(parseDollars("   "), { ok: true, micros: null });
    for (const bad of ["-0.01", "-5", "0.0000001", "1.1234567", "2000.000001", "10001", "99999999999999999999", "abc", "1.2.3", ".", "1e3"]) {
      assert.equal(parseDollars(bad).ok, false, bad);
    }
    assert.match((parseDollars("-1") as { error: string }).error, /\$0 or more/);
    assert.match((parseDollars("0.1234567") as { error: string }).error, /6 decimal places/);
    assert.match((parseDollars("10000.01") as { error: string }).error, /at most \$2,000/);
  });

  it("formats micro-dollars as dollars", () => {
    assert.equal(microsToDollars(150_000), "0.15");
    assert.equal(microsToDollars(30_000_000), "30.00");
    assert.equal(microsToDollars(75_000), "0.075");
    assert.equal(microsToDollars(1), "0.000001");
    assert.equal(microsToDollars(1_250_500_000), "1,250.50");
    assert.equal(formatPrice(null), null);
    assert.equal(formatPrice(600_000), "$0.60");
    // Every formatted price parses back to itself.
    for (const m of [0, 1, 10, 99_999, 150_000, 2_000_000_000]) {
      assert.deepEqual(parseDollars(microsToDollars(m)), { ok: true, micros: m });
    }
  });
});

for (const kind of KINDS) {
  describe(`instance administration on ${kind}`, () => {
    let t: TestDatabase;
    let admin: Awaited<ReturnType<typeof signUp>>;
    let user: Awaited<ReturnType<typeof signUp>>;

    before(async () => {
      t = await openTestDatabase(kind);
      await migrate(t.db.sql);
      useDatabase(t.db);
      // The first account of an instance becomes its administrator; later ones do not.
      admin = await signUp("admin");
      user = await signUp("user");
    });
    after(() => t.drop());

    it("the first account is the instance admin; others are not", async () => {
      assert.equal(await isInstanceAdmin(admin.userId), true);
      assert.equal(await isInstanceAdmin(user.userId), false);
    });

    it("non-admins are refused everything, even with bad input, and nothing changes", async () => {
      const conn = await providers.createProviderConnection(admin.actor, { name: `refuse-${kind}`, baseUrl: "http://127.0.0.1:9/v1" });
      const model = await models.registerUpstreamModel(admin.actor, { connectionId: conn.id, upstreamId: "gpt-4o-mini", id: `refuse-model-${kind}` });
      const a = user.actor;
      const calls: [string, () => Promise<unknown>][] = [
        ["listAdminModels", () => models.listAdminModels(a)],
        ["updateModel", () => models.updateModel(a, { modelId: model.id, contextWindow: "1000", capabilities: ["chat"], enabled: "on", inputPrice: "0", outputPrice: "0" })],
        ["updateModel (bad input)", () => models.updateModel(a, {} as never)],
        ["registerLocalModel", () => models.registerLocalModel(a, { path: MODEL_PATH, id: "sneaky" })],
        ["registerUpstreamModel", () => models.registerUpstreamModel(a, { connectionId: conn.id, upstreamId: "gpt-4o" })],
        ["deleteModel", () => models.deleteModel(a, { modelId: model.id })],
        ["listProviderConnections", () => providers.listProviderConnections(a)],
        ["createProviderConnection", () => providers.createProviderConnection(a, { name: "x", baseUrl: "http://example.com/v1" })],
        ["updateProviderConnection", () => providers.updateProviderConnection(a, { connectionId: conn.id, name: "hijacked", baseUrl: "http://evil.example/v1" })],
        ["deleteProviderConnection", () => providers.deleteProviderConnection(a, { connectionId: conn.id })],
        ["testProviderConnection", () => providers.testProviderConnection(a, { connectionId: conn.id })],
        ["listTierLimits", () => limits.listTierLimits(a)],
        ["setTierLimit", () => limits.setTierLimit(a, { tier: "1", model: "*", rpm: "1" })],
        ["removeTierLimit", () => limits.removeTierLimit(a, { tier: "1", model: model.id })],
        ["listOrgTiers", () => limits.listOrgTiers(a)],
        ["setOrgTier", () => limits.setOrgTier(a, { orgId: user.orgId, tier: "5" })],
      ];
      for (const [name, call] of calls) {
        await assert.rejects(call(), (err: { code?: string }) => err.code === "forbidden", name);
      }
      const prisma = t.db.prisma;
      assert.equal((await prisma.organization.findUniqueOrThrow({ where: { id: user.orgId } })).tier, 1);
      assert.equal((await prisma.providerConnection.findUniqueOrThrow({ where: { id: conn.id } })).name, `refuse-${kind}`);
      assert.ok(await prisma.model.findUnique({ where: { id: model.id } }));
      assert.equal(await prisma.model.count({ where: { id: "sneaky" } }), 0);
      assert.equal(await prisma.tierLimit.count({ where: { tier: 1, model: "*", rpm: 1 } }), 0);

      // The flag is read from the database on every call: granting and revoking apply at once.
      await prisma.user.update({ where: { id: user.userId }, data: { isAdmin: true } });
      assert.ok(Array.isArray(await models.listAdminModels(a)));
      await prisma.user.update({ where: { id: user.userId }, data: { isAdmin: false } });
      await rejectsWith(models.listAdminModels(a), "forbidden");
      await providers.deleteProviderConnection(admin.actor, { connectionId: conn.id });
    });

    it("price edits store micro-dollars exactly and the API's catalog sees them at once", async () => {
      const conn = await providers.createProviderConnection(admin.actor, { name: `prices-${kind}`, baseUrl: "http://127.0.0.1:9/v1" });
      const m = await models.registerUpstreamModel(admin.actor, { connectionId: conn.id, upstreamId: "some-unknown-model", id: `priced-${kind}` });
      // Unknown upstream models start unpriced (the API refuses to bill them).
      assert.equal(m.inputPriceMicros, null);
      assert.equal(m.outputPriceMicros, null);
      assert.equal((await getCatalogModel(m.id))?.inputPriceMicros, null);

      const edit = (prices: { inputPrice?: string; cachedInputPrice?: string; outputPrice?: string }) =>
        models.updateModel(admin.actor, { modelId: m.id, contextWindow: "8,192", capabilities: ["chat", "tools"], enabled: "on", ...prices });
      await edit({ inputPrice: "0.15", cachedInputPrice: "0.075", outputPrice: "30" });
      let row = await t.db.prisma.model.findUniqueOrThrow({ where: { id: m.id } });
      assert.equal(row.inputPriceMicros, 150_000);
      assert.equal(row.cachedInputPriceMicros, 75_000);
      assert.equal(row.outputPriceMicros, 30_000_000);
      assert.equal(row.contextWindow, 8192);
      assert.deepEqual(row.capabilities, ["chat", "tools"]);
      const served = await getCatalogModel(m.id);

      assert.equal(served?.inputPriceMicros, 150_000);
      assert.equal(served?.outputPriceMicros, 30_000_000);

      assert.match((await refusedFields(edit({ inputPrice: "-0.15", outputPrice: "1" }))).inputPrice, /\$0 or more/);
      assert.match((await refusedFields(edit({ inputPrice: "10000.01", outputPrice: "1" }))).inputPrice, /at most/);
      assert.match((await refusedFields(edit({ inputPrice: "1", outputPrice: "10001" }))).outputPrice, /at most/);
      assert.match((await refusedFields(edit({ inputPrice: "0.1234567", outputPrice: "1" }))).inputPrice, /6 decimal places/);
      assert.match((await refusedFields(edit({ cachedInputPrice: "0.1", outputPrice: "1" }))).cachedInputPrice, /input price first/);
      // Refusals change nothing.
      row = await t.db.prisma.model.findUniqueOrThrow({ where: { id: m.id } });
      assert.equal(row.inputPriceMicros, 150_000);
      assert.equal(row.outputPriceMicros, 30_000_000);

      // Other fields are validated too.
      assert.ok((await refusedFields(models.updateModel(admin.actor, { modelId: m.id, contextWindow: "lots", capabilities: ["chat"] }))).contextWindow);
      assert.ok((await refusedFields(models.updateModel(admin.actor, { modelId: m.id, contextWindow: "100", capabilities: [] }))).capabilities);
      assert.ok((await refusedFields(models.updateModel(admin.actor, { modelId: m.id, contextWindow: "100", capabilities: ["telepathy"] }))).capabilities);
      await rejectsWith(models.updateModel(admin.actor, { modelId: "no-such-model", contextWindow: "100", capabilities: ["chat"] }), "not_found");

      // Disabling hides the model from the API; a blank price unprices it.
      await models.updateModel(admin.actor, { modelId: m.id, contextWindow: "8192", capabilities: ["chat"], inputPrice: "", outputPrice: "" });
      row = await t.db.prisma.model.findUniqueOrThrow({ where: { id: m.id } });
      assert.equal(row.enabled, false);
      assert.equal(row.inputPriceMicros, null);
      assert.equal(await getCatalogModel(m.id), undefined);
      await providers.deleteProviderConnection(admin.actor, { connectionId: conn.id });
    });

    it("registers a local GGUF by absolute path, validating the file; deletes only console models", async () => {
      const id = `stories-copy-${kind}`;
      const m = await models.registerLocalModel(admin.actor, { path: MODEL_PATH, id });
      assert.equal(m.provider, "local");
      assert.equal(m.source, "console");
      assert.equal(m.upstreamId, MODEL_PATH);
      assert.equal(m.contextWindow, 2048); // the file's metadata states a 2048-token training context
      assert.ok((m.inputPriceMicros ?? 0) > 0 && (m.outputPriceMicros ?? 0) > 0);
      assert.equal((await getCatalogModel(id))?.provider, "local");

      // The id defaults to the file name.
      const byName = await models.registerLocalModel(admin.actor, { path: MODEL_PATH });
      assert.equal(byName.id, "stories260K");
      assert.match((await refusedFields(models.registerLocalModel(admin.actor, { path: MODEL_PATH }), "conflict")).id, /already exists/);

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-admin-"));
      const garbage = path.join(dir, "garbage.gguf");
      fs.writeFileSync(garbage, "this is not a model");
      const text = path.join(dir, "notes.txt");
      fs.writeFileSync(text, "hello");
      try {
        const cases: [string, RegExp][] = [
          ["models/stories260K.gguf", /absolute path/],
          [text, /\.gguf/],
          [path.join(dir, "missing.gguf"), /No file/],
          [garbage, /not a readable GGUF/],
          ["", /Enter the path/],
        ];
        for (const [p, re] of cases) assert.match((await refusedFields(models.registerLocalModel(admin.actor, { path: p, id: "bad" }))).path, re, p);
        fs.mkdirSync(path.join(dir, "folder.gguf"));
        assert.match((await refusedFields(models.registerLocalModel(admin.actor, { path: path.join(dir, "folder.gguf") }))).path, /not a file/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      assert.match((await refusedFields(models.registerLocalModel(admin.actor, { path: MODEL_PATH, id: "has space" }))).id, /letters, digits/i);
      assert.equal(await t.db.prisma.model.count({ where: { id: "bad" } }), 0);

      // Env and discovered models return at every start: they can only be disabled.
      await t.db.prisma.model.create({ data: { id: `env-${kind}`, provider: "local", upstreamId: MODEL_PATH, contextWindow: 512, capabilities: ["chat"], source: "discovered" } });
      await rejectsWith(models.deleteModel(admin.actor, { modelId: `env-${kind}` }), "invalid");
      assert.ok(await t.db.prisma.model.findUnique({ where: { id: `env-${kind}` } }));
      await models.deleteModel(admin.actor, { modelId: id });
      await models.deleteModel(admin.actor, { modelId: "stories260K" });
      assert.equal(await t.db.prisma.model.count({ where: { id: { in: [id, "stories260K"] } } }), 0);
      assert.equal(await getCatalogModel(id), undefined);
      await rejectsWith(models.deleteModel(admin.actor, { modelId: id }), "not_found");
      await t.db.prisma.model.delete({ where: { id: `env-${kind}` } });
    });

    it("connection keys are stored encrypted, shown redacted, decrypt back, and reach the catalog", async () => {
      const plain = `sk-upstream-${kind}-0123456789abcdef`;
      const c = await providers.createProviderConnection(admin.actor, { name: `vault-${kind}`, baseUrl: "https://upstream.example/v1/", apiKey: plain });
      const row = await t.db.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id } });
      assert.equal(row.baseUrl, "https://upstream.example/v1");
      assert.ok(row.apiKeyEncrypted && row.apiKeyEncrypted !== plain);
      assert.equal(decryptSecret(row.apiKeyEncrypted), plain);
      assert.equal(row.apiKeyRedacted, `sk-...${plain.slice(-4)}`);
      const dump = JSON.stringify(await t.db.sql.query(`SELECT * FROM "ProviderConnection"`));
      assert.ok(!dump.includes(plain), "the plain key must not be in the table");
      assert.ok(!dump.includes(plain.slice(4, -4)), "no recognisable part of the key may be in the table");
      const listed = JSON.stringify(await providers.listProviderConnections(admin.actor));
      assert.ok(!listed.includes(plain) && !listed.includes(row.apiKeyEncrypted), "the list carries neither the key nor its ciphertext");

      // The API's catalog decrypts it for the upstream.
      const m = await models.registerUpstreamModel(admin.actor, { connectionId: c.id, upstreamId: "gpt-4o-mini", id: `vault-model-${kind}` });
      assert.equal(m.inputPriceMicros, 150_000); // a known model starts at its list price
      assert.deepEqual((await getCatalogModel(m.id))?.upstream, { baseUrl: "https://upstream.example/v1", apiKey: plain });

      // Blank keeps the key; a new one replaces it; "remove" clears it.
      await providers.updateProviderConnection(admin.actor, { connectionId: c.id, name: `vault-${kind}`, baseUrl: "https://other.example/v1", apiKey: "" });
      const kept = await t.db.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id } });
      assert.equal(kept.apiKeyEncrypted, row.apiKeyEncrypted);
      assert.equal((await getCatalogModel(m.id))?.upstream?.baseUrl, "https://other.example/v1");
      await providers.updateProviderConnection(admin.actor, { connectionId: c.id, name: `vault-${kind}`, baseUrl: "https://other.example/v1", apiKey: "sk-replacement-key-9999" });
      assert.equal((await getCatalogModel(m.id))?.upstream?.apiKey, "sk-replacement-key-9999");
      await providers.updateProviderConnection(admin.actor, { connectionId: c.id, name: `vault-${kind}`, baseUrl: "https://other.example/v1", removeApiKey: "on" });
      const cleared = await t.db.prisma.providerConnection.findUniqueOrThrow({ where: { id: c.id } });
      assert.equal(cleared.apiKeyEncrypted, null);
      assert.equal(cleared.apiKeyRedacted, null);

      // Validation and unique names.
      assert.ok((await refusedFields(providers.createProviderConnection(admin.actor, { name: "x", baseUrl: "ftp://example.com" }))).baseUrl);
      assert.ok((await refusedFields(providers.createProviderConnection(admin.actor, { name: "", baseUrl: "https://example.com/v1" }))).name);
      assert.ok((await refusedFields(providers.createProviderConnection(admin.actor, { name: `vault-${kind}`, baseUrl: "https://example.com/v1" }), "conflict")).name);

      // Deleting the connection deletes its models.
      const gone = await providers.deleteProviderConnection(admin.actor, { connectionId: c.id });
      assert.equal(gone.models, 1);
      assert.equal(await t.db.prisma.model.count({ where: { id: m.id } }), 0);
      assert.equal(await getCatalogModel(m.id), undefined);
    });

    it("tests a connection against {baseUrl}/models with the stored key, and explains failures", async () => {
      const seen: (string | undefined)[] = [];
      const server = http.createServer((req, res) => {
        seen.push(req.headers.authorization);
        if (req.url === "/ok/v1/models" && req.headers.authorization === "Bearer sk-good-key-123456") {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "m-1", object: "model" }, { id: "m-2", object: "model" }] }));
        } else if (req.url === "/ok/v1/models") {
          res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }));
        } else if (req.url === "/html/v1/models") {
          res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>");
        } else if (req.url === "/slow/v1/models") {
          // never answers
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const make = async (name: string, url: string, apiKey?: string) =>
        (await providers.createProviderConnection(admin.actor, { name: `${name}-${kind}`, baseUrl: url, apiKey })).id;
      try {
        const good = await providers.testProviderConnection(admin.actor, { connectionId: await make("good", `${base}/ok/v1`, "sk-good-key-123456") });
        assert.deepEqual(good.ok && good.models, ["m-1", "m-2"]);
        assert.equal(seen.at(-1), "Bearer sk-good-key-123456");

        const badKey = await providers.testProviderConnection(admin.actor, { connectionId: await make("badkey", `${base}/ok/v1`, "sk-wrong-key-0000") });
        assert.equal(badKey.ok, false);
        assert.equal(badKey.status, 401);
        assert.match(!badKey.ok ? badKey.error : "", /refused the API key.*Incorrect API key provided/);

        const html = await providers.testProviderConnection(admin.actor, { connectionId: await make("html", `${base}/html/v1`) });
        assert.match(!html.ok ? html.error : "", /not with an OpenAI-compatible model list/);
        const missing = await providers.testProviderConnection(admin.actor, { connectionId: await make("missing", `${base}/nothing`) });
        assert.match(!missing.ok ? missing.error : "", /No \/models endpoint.*404/);

        const closed = http.createServer();
        await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
        const closedPort = (closed.address() as AddressInfo).port;
        await new Promise<void>((r) => closed.close(() => r()));
        const refused = await providers.testProviderConnection(admin.actor, { connectionId: await make("refused", `http://127.0.0.1:${closedPort}/v1`) });
        assert.match(!refused.ok ? refused.error : "", /Connection refused/);
        const blocked = await providers.testProviderConnection(admin.actor, { connectionId: await make("blocked", "http://127.0.0.1:9/v1") });
        assert.match(!blocked.ok ? blocked.error : "", /Port 9 is one that HTTP clients refuse/);

        const t0 = Date.now();
        const slow = await providers.testProviderConnection(admin.actor, { connectionId: await make("slow", `${base}/slow/v1`) });
        const waited = Date.now() - t0;
        assert.match(!slow.ok ? slow.error : "", /within 5 seconds/);
        assert.ok(waited >= 4_900 && waited < 8_000, `gave up after ${waited} ms`);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    it("tier limits and organization tiers; the tier change is in that organization's audit log", async () => {
      await limits.setTierLimit(admin.actor, { tier: "4", model: "*", rpm: "1,000", tpm: "", rpd: "" });
      await limits.setTierLimit(admin.actor, { tier: "4", model: "special", rpm: "5", tpm: "500", rpd: "50" });
      const rows = (await limits.listTierLimits(admin.actor)).filter((r) => r.tier === 4);
      assert.deepEqual(rows.map((r) => [r.model, r.rpm, r.tpm, r.rpd]), [["*", 1000, null, null], ["special", 5, 500, 50]]);
      assert.ok((await refusedFields(limits.setTierLimit(admin.actor, { tier: "6", model: "*" }))).tier);
      assert.ok((await refusedFields(limits.setTierLimit(admin.actor, { tier: "4", model: "*", rpm: "0" }))).rpm);
      assert.ok((await refusedFields(limits.setTierLimit(admin.actor, { tier: "4", model: "*", tpm: "1.5" }))).tpm);
      await rejectsWith(limits.removeTierLimit(admin.actor, { tier: "4", model: "*" }), "invalid");

      const u = await signUp("tiered");
      assert.equal((await getProjectPolicy(u.projectId)).tier, 1); // cached now
      const changed = await limits.setOrgTier(admin.actor, { orgId: u.orgId, tier: "4" });
      assert.deepEqual(changed, { name: "Personal", from: 1, to: 4 });
      // The cached policy was dropped: the new tier's limits apply at once.
      const policy = await getProjectPolicy(u.projectId);
      assert.equal(policy.tier, 4);
      assert.deepEqual(policy.limitsFor("special"), { rpm: 5, tpm: 500, rpd: 50 });
      assert.deepEqual(policy.limitsFor("anything-else"), { rpm: 1000, tpm: null, rpd: null });
      const events = await t.db.prisma.auditEvent.findMany({ where: { orgId: u.orgId, action: "org.tier_changed" } });
      assert.equal(events.length, 1);
      assert.deepEqual(events[0].details, { from: 1, to: 4 });
      assert.equal(events[0].actorEmail, admin.email);
      assert.equal(await limits.setOrgTier(admin.actor, { orgId: u.orgId, tier: "4" }), null); // no change, no event

      const listed = await limits.listOrgTiers(admin.actor, { query: u.orgId });
      assert.deepEqual(listed.orgs.map((o) => [o.id, o.tier]), [[u.orgId, 4]]);
      await rejectsWith(limits.setOrgTier(admin.actor, { orgId: "no-such-org", tier: "2" }), "not_found");

      await limits.removeTierLimit(admin.actor, { tier: "4", model: "special" });
      assert.deepEqual((await getProjectPolicy(u.projectId)).limitsFor("special"), { rpm: 1000, tpm: null, rpd: null });
    });

    it("project limits above the organization's tier are refused, naming the limit in force", async () => {
      const u = await signUp("limits");
      await limits.setOrgTier(admin.actor, { orgId: u.orgId, tier: "3" });
      await limits.setTierLimit(admin.actor, { tier: "3", model: "*", rpm: "100", tpm: "10000", rpd: "" });
      await limits.setTierLimit(admin.actor, { tier: "3", model: "capped", rpm: "10", tpm: "", rpd: "" });
      await t.db.prisma.model.createMany({
        data: ["capped", "uncapped"].map((id) => ({ id: `${id}`, provider: "local", upstreamId: MODEL_PATH, contextWindow: 512, capabilities: ["chat"], source: "console" })),
        skipDuplicates: true,
      });
      const set = (model: string, v: { rpm?: string; tpm?: string; rpd?: string }) => projectSettings.setProjectModelLimit(u.actor, { projectId: u.projectId, model, ...v });

      assert.match((await refusedFields(set("capped", { rpm: "11" }))).rpm, /At most 10: .*tier 3 RPM limit for capped/);
      assert.match((await refusedFields(set("uncapped", { rpm: "101", tpm: "10001" }))).tpm, /At most 10,000: .*tier 3 TPM default limit/);
      assert.match((await refusedFields(set("*", { tpm: "20000" }))).tpm, /At most 10,000/);
      assert.ok((await refusedFields(set("capped", {}))).rpm, "at least one limit");
      assert.ok((await refusedFields(set("no-such-model", { rpm: "1" }))).model);
      assert.equal(await t.db.prisma.projectModelLimit.count({ where: { projectId: u.projectId } }), 0);

      const cached = await getProjectPolicy(u.projectId);
      assert.equal(cached.limitsFor("capped").rpm, 10);
      await set("capped", { rpm: "10", tpm: "5000" }); // unlimited at the tier: any value
      await set("uncapped", { rpd: "7" }); // RPD is unlimited at the tier: any value
      const policy = await getProjectPolicy(u.projectId);
      assert.deepEqual(policy.limitsFor("capped"), { rpm: 10, tpm: 5000, rpd: null });
      assert.deepEqual(policy.limitsFor("uncapped"), { rpm: 100, tpm: 10000, rpd: 7 });

      const settings = await projectSettings.getProjectApiSettings(u.actor, u.projectId);
      assert.equal(settings.tier, 3);
      assert.deepEqual(settings.limits.map((l) => [l.model, l.rpm, l.tierLimit.rpm, l.tierLimitFrom]), [["capped", 10, 10, "capped"], ["uncapped", null, 100, "*"]]);

      // Only project owners change limits; members read them.
      const member = await signUp("member");
      const invite = await createInvitation(u.actor, u.orgId, { email: member.email, role: "reader", projects: [] });
      await acceptInvitation(member.actor, invite.token);
      await addProjectMember(u.actor, u.projectId, member.email, "member");
      assert.equal((await projectSettings.getProjectApiSettings(member.actor, u.projectId)).limits.length, 2);
      await rejectsWith(projectSettings.setProjectModelLimit(member.actor, { projectId: u.projectId, model: "capped", rpm: "1" }), "forbidden");
      await rejectsWith(projectSettings.removeProjectModelLimit(member.actor, { projectId: u.projectId, model: "capped" }), "forbidden");
      await rejectsWith(projectSettings.updateProjectApiSettings(member.actor, { projectId: u.projectId, allowedModels: [], storeBodies: "on" }), "forbidden");
      await rejectsWith(projectSettings.getProjectApiSettings(user.actor, u.projectId), "not_found");

      await projectSettings.removeProjectModelLimit(u.actor, { projectId: u.projectId, model: "uncapped" });
      assert.deepEqual((await getProjectPolicy(u.projectId)).limitsFor("uncapped"), { rpm: 100, tpm: 10000, rpd: null });
      const actions = (
        await t.db.prisma.auditEvent.findMany({ where: { projectId: u.projectId, action: { startsWith: "project.model_limit" } }, orderBy: { createdAt: "asc" } })
      ).map((e) => e.action);
      assert.deepEqual(actions, ["project.model_limit_set", "project.model_limit_set", "project.model_limit_removed"]);
    });

    it("the allow-list restricts listCatalogModels; empty means every enabled model", async () => {
      const u = await signUp("allow");
      await t.db.prisma.model.createMany({
        data: ["allow-a", "allow-b"].map((id) => ({ id, provider: "local", upstreamId: MODEL_PATH, contextWindow: 512, capabilities: ["chat"], source: "console" })),
      });
      const ids = async () => listCatalogModels((await getProjectPolicy(u.projectId)).allowedModels).then((ms) => ms.map((m) => m.id));
      assert.ok((await ids()).includes("allow-a") && (await ids()).includes("allow-b"));

      await projectSettings.updateProjectApiSettings(u.actor, { projectId: u.projectId, allowedModels: ["allow-b"], storeBodies: "on" });
      assert.deepEqual(await ids(), ["allow-b"]);
      const policy = await getProjectPolicy(u.projectId);
      assert.equal(policy.storeBodies, true);

      // A single checkbox arrives as a string; unknown models are refused.
      await projectSettings.updateProjectApiSettings(u.actor, { projectId: u.projectId, allowedModels: "allow-a" });
      assert.deepEqual(await ids(), ["allow-a"]);
      assert.equal((await getProjectPolicy(u.projectId)).storeBodies, false);
      assert.ok((await refusedFields(projectSettings.updateProjectApiSettings(u.actor, { projectId: u.projectId, allowedModels: ["allow-a", "made-up"] }))).allowedModels);

      // A model that is gone may stay on the list (so it does not widen to every model).
      await models.deleteModel(admin.actor, { modelId: "allow-a" });
      await projectSettings.updateProjectApiSettings(u.actor, { projectId: u.projectId, allowedModels: ["allow-a"] });
      assert.deepEqual(await ids(), []);

      await projectSettings.updateProjectApiSettings(u.actor, { projectId: u.projectId, allowedModels: [] });
      const all = await ids();
      assert.ok(all.includes("allow-b") && all.length >= 1);
      const audit = await t.db.prisma.auditEvent.findFirst({ where: { projectId: u.projectId, action: "project.api_settings_changed" }, orderBy: { createdAt: "desc" } });
      assert.deepEqual(audit?.details, { allowedModels: "all models", storeBodies: false, playgroundForMembers: false });
    });
  });
}
