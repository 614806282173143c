import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { emailSchema, passwordSchema } from "@/lib/auth/validation";
import { AttemptLimiter } from "@/lib/limits/attempt-limiter";
import { safeCallbackUrl } from "@/lib/console/safe-redirect";

describe("passwords", () => {
  it("hash with scrypt and a random salt, and verify", async () => {
    const a = await hashPassword("correct horse 9");
    const b = await hashPassword("correct horse 9");
    assert.match(a, /^scrypt\$32768\$8\$1\$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword("correct horse 9", a), true);
    assert.equal(await verifyPassword("correct horse 8", a), false);
    assert.equal(await verifyPassword("anything", "garbage"), false);
  });

  it("rejects weak passwords with a reason", () => {
    const reason = (p: string) => passwordSchema.safeParse(p).error?.issues[0]?.message;
    assert.match(reason("short1")!, /10 characters/);
    assert.match(reason("password123")!, /too common/);
    assert.match(reason("aaaaaaaaaa1")!, /repetitive/);
    assert.match(reason("onlyletterslong")!, /digits or symbols/);
    assert.equal(passwordSchema.safeParse("tr0ub4dor&3x").success, true);
  });

  it("normalizes emails and rejects invalid ones", () => {
    assert.equal(emailSchema.parse("  Ada@Example.COM "), "ada@example.com");
    for (const bad of ["", "ada", "ada@", "@example.com", "a b@example.com", "x".repeat(250) + "@e.co"]) {
      assert.equal(emailSchema.safeParse(bad).success, false, bad);
    }
  });
});

describe("attempt limiter", () => {
  it("blocks after max attempts until the window passes", () => {
    const l = new AttemptLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      assert.equal(l.retryAfter("k", t0), 0);
      l.hit("k", t0);
    }
    assert.equal(l.retryAfter("k", t0), 60);
    assert.equal(l.retryAfter("other", t0), 0);
    assert.equal(l.retryAfter("k", t0 + 60_001), 0);
    l.hit("k", t0 + 60_001);
    l.reset("k");
    assert.equal(l.retryAfter("k", t0 + 60_002), 0);
  });
});

describe("post-sign-in redirects", () => {
  it("only allow same-site paths", () => {
    assert.equal(safeCallbackUrl("/projects/x/api-keys"), "/projects/x/api-keys");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", 42, undefined]) {
      assert.equal(safeCallbackUrl(bad), "/");
    }
  });
});
