import assert from "node:assert/strict";
import crypto from "node:crypto";
import { describe, it } from "node:test";
import { createSecretBox, decryptSecret, encryptSecret, redactSecret } from "@/lib/crypto/secret-box";

const SECRET = "a-test-auth-secret-that-is-long-enough-0123456789";

/** Flips one bit of the decoded payload and re-encodes it. */
function flipBit(sealed: string, byteIndex: number): string {
  const raw = Buffer.from(sealed.slice(3), "base64url");
  raw[byteIndex] ^= 0x01;
  return "v1." + raw.toString("base64url");
}

describe("secret box", () => {
  const box = createSecretBox(SECRET);

  it("round-trips text, including empty and non-ASCII values", () => {
    for (const plain of ["sk-proj-" + "x".repeat(48), "", "clé secrète ✓ 🔑"]) {
      const sealed = box.encrypt(plain);
      assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
      assert.ok(!sealed.includes(plain) || plain === "", "the plaintext must not appear in the box");
      assert.equal(box.decrypt(sealed), plain);
    }
  });

  it("lays out iv ‖ ciphertext ‖ tag under AES-256-GCM with an HKDF-SHA256 key", () => {
    const plain = "sk-layout-check-1234";
    const raw = Buffer.from(box.encrypt(plain).slice(3), "base64url");
    assert.equal(raw.length, 12 + Buffer.byteLength(plain) + 16);
    const key = Buffer.from(crypto.hkdfSync("sha256", SECRET, Buffer.alloc(0), "gatehouse provider keys v1", 32));
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const out = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
    assert.equal(out, plain);
  });

  it("uses a random IV: encrypting the same value twice gives different boxes", () => {
    const a = box.encrypt("same value");
    const b = box.encrypt("same value");
    assert.notEqual(a, b);
    assert.notDeepEqual(Buffer.from(a.slice(3), "base64url").subarray(0, 12), Buffer.from(b.slice(3), "base64url").subarray(0, 12));
    assert.equal(box.decrypt(a), box.decrypt(b));
  });

  it("detects tampering with the IV, the ciphertext or the tag", () => {
    const sealed = box.encrypt("sk-tamper-target-0000");
    const length = Buffer.from(sealed.slice(3), "base64url").length;
    for (const index of [0, 11, 12, length - 17, length - 1]) {
      assert.throws(() => box.decrypt(flipBit(sealed, index)), /different AUTH_SECRET or has been altered/);
    }
    assert.throws(() => box.decrypt(sealed.slice(0, -4)), /altered|malformed/);
    assert.throws(() => box.decrypt("v1.abc"), /malformed/);
    assert.throws(() => box.decrypt("v1.***not-base64***"), /malformed/);
  });

  it("refuses a box made with another secret", () => {
    const sealed = createSecretBox("another-secret-entirely-0123456789abcdef").encrypt("sk-other");
    assert.throws(() => box.decrypt(sealed), /different AUTH_SECRET/);
  });

  it("names an unknown version instead of trying to decrypt it", () => {
    const sealed = box.encrypt("sk-versioned");
    assert.throws(() => box.decrypt("v2" + sealed.slice(2)), /unknown format "v2" \(expected v1\)/);
    assert.throws(() => box.decrypt("no-version-at-all"), /unknown format \(expected v1\)/);
    assert.throws(() => box.decrypt(""), /unknown format/);
  });

  it("never puts the plaintext into its errors", () => {
    const plain = "sk-do-not-leak-this-value";
    const sealed = box.encrypt(plain);
    try {
      createSecretBox("wrong-secret-0123456789-0123456789").decrypt(sealed);
      assert.fail("should throw");
    } catch (err) {
      assert.ok(err instanceof Error);
      assert.ok(!err.message.includes(plain));
    }
  });

  it("encrypts with the auth secret by default", () => {
    const previous = process.env.AUTH_SECRET;
    const globalConfig = globalThis as unknown as { __gatehouseConfig?: unknown };
    const previousConfig = globalConfig.__gatehouseConfig;
    process.env.AUTH_SECRET = SECRET;
    globalConfig.__gatehouseConfig = undefined;
    try {
      const sealed = encryptSecret("sk-default-box");
      assert.equal(decryptSecret(sealed), "sk-default-box");
      assert.equal(box.decrypt(sealed), "sk-default-box", "the default box derives its key from AUTH_SECRET");
    } finally {
      if (previous === undefined) delete process.env.AUTH_SECRET;
      else process.env.AUTH_SECRET = previous;
      globalConfig.__gatehouseConfig = previousConfig;
    }
  });

  it("redacts keys for display, masking short values entirely", () => {
    assert.equal(redactSecret("sk-proj-abcdefghijklmnopqrstuvwxyz1234"), "sk-...1234");
    assert.equal(redactSecret("sk-abcdefghijkl"), "sk-...ijkl");
    assert.equal(redactSecret("short-key"), "****");
    assert.equal(redactSecret(""), "****");
  });
});
