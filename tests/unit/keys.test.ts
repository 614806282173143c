import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateSecret, hashSecret, looksLikeSecret, redactSecret, SECRET_PREFIX } from "@/lib/keys/secret";
import { randomBase62, randomHex, randomId } from "@/lib/crypto/random-id";
import { accessFor, allows, permissionsSchema, RESOURCES } from "@/lib/keys/permissions";

describe("API key secrets", () => {
  it("are sk-proj- followed by 48 base62 characters", () => {
    const s = generateSecret();
    assert.match(s, /^sk-proj-[0-9A-Za-z]{48}$/);
    assert.ok(s.startsWith(SECRET_PREFIX));
    assert.ok(looksLikeSecret(s));
  });

  it("never repeat and use the whole alphabet roughly uniformly", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(generateSecret());
    assert.equal(seen.size, 2000);
    const counts = new Map<string, number>();
    const sample = randomBase62(62_000);
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    assert.equal(counts.size, 62);
    // Each character expected 1000 times; modulo bias would skew the first 8 characters by ~25%.
    for (const [ch, n] of counts) assert.ok(n > 820 && n < 1180, `character ${ch} appeared ${n} times`);
  });

  it("come from bytes never handed out twice, across pool refills", () => {
    // 3,000 request ids of 16 bytes use about 12 refills of the 4 KiB pool.
    const ids = new Set(Array.from({ length: 3000 }, () => randomHex(16)));
    assert.equal(ids.size, 3000);
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    assert.match(randomId("file-"), /^file-[0-9A-Za-z]{24}$/);
    // Longer than the pool: several refills in one id.
    assert.match(randomBase62(10_000), /^[0-9A-Za-z]{10000}$/);
  });

  it("hash to SHA-256 hex, and redact to prefix and last four", () => {
    const s = "sk-proj-" + "a".repeat(44) + "WXYZ";
    assert.equal(hashSecret(s), hashSecret(s));
    assert.match(hashSecret(s), /^[0-9a-f]{64}$/);
    // SHA-256 of the UTF-8 text (FIPS 180-2's "abc" vector): stored hashes stay valid.
    assert.equal(hashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.notEqual(hashSecret(s), hashSecret(s + "x"));
    assert.equal(redactSecret(s), "sk-proj-...WXYZ");
    assert.ok(!redactSecret(s).includes("aaaa"));
  });

  it("shape check rejects garbage before any lookup", () => {
    for (const bad of ["", "sk-", "Bearer sk-proj-abc", "sk-proj-" + "a".repeat(300), "pk-proj-" + "a".repeat(48), "sk-proj-abc def ghi jkl mno pqr"]) {
      assert.equal(looksLikeSecret(bad), false, bad);
    }
  });
});

describe("API key permissions", () => {
  it("All allows everything, Read only allows reads", () => {
    for (const r of RESOURCES) {
      assert.equal(allows({ mode: "all" }, r, "write"), true);
      assert.equal(allows({ mode: "read_only" }, r, "read"), true);
      assert.equal(allows({ mode: "read_only" }, r, "write"), false);
    }
  });

  it("Restricted applies per-resource levels, defaulting to none", () => {
    const p = permissionsSchema.parse({ mode: "restricted", resources: { chat_completions: "write", models: "read" } });
    assert.equal(accessFor(p, "embeddings"), "none");
    assert.equal(allows(p, "chat_completions", "write"), true);
    assert.equal(allows(p, "models", "read"), true);
    assert.equal(allows(p, "models", "write"), false);
    assert.equal(allows(p, "files", "read"), false);
  });

  it("rejects unknown modes and levels", () => {
    assert.equal(permissionsSchema.safeParse({ mode: "root" }).success, false);
    assert.equal(permissionsSchema.safeParse({ mode: "restricted", resources: { models: "admin" } }).success, false);
  });
});
