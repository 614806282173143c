import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "@/lib/config";

function problems(env: Record<string, string>) {
  try {
    parseConfig(env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
}

describe("configuration", () => {
  it("defaults to port 3000 and embedded data under ./data", () => {
    const c = parseConfig({});
    assert.equal(c.PORT, 3000);
    assert.equal(c.DATABASE_URL, undefined);
    assert.equal(c.dataDir, path.resolve("./data"));
  });

  it("treats empty strings as unset", () => {
    assert.equal(parseConfig({ DATABASE_URL: "", AUTH_SECRET: "" }).DATABASE_URL, undefined);
  });

  it("names each bad variable with a clear reason", () => {
    const p = problems({ PORT: "eighty", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" });
    assert.equal(p.length, 3);
    assert.match(p.find((x) => x.startsWith("PORT"))!, /number/i);
    assert.match(p.find((x) => x.startsWith("DATABASE_URL"))!, /postgres/);
    assert.match(p.find((x) => x.startsWith("AUTH_SECRET"))!, /32 characters/);
  });

  it("requires bootstrap variables together", () => {
    assert.match(problems({ BOOTSTRAP_ADMIN_EMAIL: "a@b.co" })[0], /BOOTSTRAP_ADMIN_PASSWORD is required/);
    assert.match(problems({ BOOTSTRAP_API_KEY: "sk-proj-" + "x".repeat(40) })[0], /BOOTSTRAP_ADMIN_EMAIL is required/);
    assert.match(problems({ BOOTSTRAP_ADMIN_EMAIL: "not-an-email", BOOTSTRAP_ADMIN_PASSWORD: "long-enough-1" })[0], /email/);
    assert.match(
      problems({ BOOTSTRAP_ADMIN_EMAIL: "a@b.co", BOOTSTRAP_ADMIN_PASSWORD: "long-enough-1", BOOTSTRAP_API_KEY: "nope" })[0],
      /BOOTSTRAP_API_KEY must look like an API key/,
    );
    const ok = parseConfig({ BOOTSTRAP_ADMIN_EMAIL: "a@b.co", BOOTSTRAP_ADMIN_PASSWORD: "long-enough-1", BOOTSTRAP_API_KEY: "sk-proj-" + "x".repeat(40) });
    assert.equal(ok.BOOTSTRAP_ADMIN_EMAIL, "a@b.co");
  });

  it("requires OAuth ids and secrets in pairs", () => {
    assert.match(problems({ GITHUB_CLIENT_ID: "abc" })[0], /GITHUB_CLIENT_SECRET is required/);
    assert.match(problems({ OIDC_CLIENT_ID: "abc", OIDC_CLIENT_SECRET: "def" })[0], /OIDC_ISSUER is required/);
  });
});
