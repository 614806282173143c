import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateSecret, hashSecret, looksLikeSecret, randomBase62, redactSecret, SECRET_PREFIX } from "@/lib/keys/secret";
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

  it("hash to SHA-256 hex, and redact to prefix and last four", () => {
    const s = "sk-proj-" + "a".repeat(44) + "WXYZ";
    assert.equal(hashSecret(s), hashSecret(s));
    assert.match(hashSecret(s), /^[0-9a-f]{64}$/);
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
