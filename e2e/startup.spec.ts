import fs from "node:fs";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { ADMIN_URL, startServer, waitForHealth } from "./servers";

// Start-up behaviour of the real server process: configuration errors, health before the
// database is reachable, and several instances sharing one PostgreSQL.

test("a bad configuration stops the server with a message naming the variable", async () => {
  const s = startServer(3231, { DATABASE_URL: "mysql://nope", AUTH_SECRET: "short" });
  const code = await Promise.race([s.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
  await s.stop();
  expect(code).toBe(1);
  expect(s.output()).toContain("Gatehouse cannot start");
  expect(s.output()).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
  expect(s.output()).toMatch(/AUTH_SECRET must be at least 32 characters/);
});

test("healthz answers 503 while the database is unreachable", async () => {
  const s = startServer(3232, { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
  try {
    const res = await waitForHealth(3232, 503);
    const body = await res.json();
    expect(body.status).toBe("unavailable");
    expect(res.headers.get("retry-after")).toBe("5");
  } finally {
    await s.stop();
  }
});

test("two instances start at once on one PostgreSQL: both healthy, migrated once, bootstrap idempotent", async ({ page }) => {
  const name = `gatehouse_e2e_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const secret = "sk-proj-" + "Z".repeat(40) + "twoinsts";
  const env = {
    DATABASE_URL: url.toString(),
    AUTH_SECRET: "x".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "ops@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "ops-password-123",
    BOOTSTRAP_API_KEY: secret,
  };
  const a = startServer(3233, env);
  const b = startServer(3234, env);
  try {
    await Promise.all([waitForHealth(3233, 200), waitForHealth(3234, 200)]);
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const migrations = await c.query(`SELECT count(*)::int AS n FROM "_gatehouse_migrations"`);
    const dirs = fs.readdirSync("prisma/migrations").filter((d) => fs.existsSync(`prisma/migrations/${d}/migration.sql`));
    expect(migrations.rows[0].n).toBe(dirs.length);
    const users = await c.query(`SELECT count(*)::int AS n FROM "User" WHERE email = 'ops@example.com'`);
    expect(users.rows[0].n).toBe(1);
    const keys = await c.query(`SELECT "redactedValue" FROM "ApiKey"`);
    expect(keys.rows).toEqual([{ redactedValue: "sk-proj-...nsts" }]);
    await c.end();
    // The bootstrap admin signs in on the second instance and finds the bootstrap key.
    await page.goto("http://127.0.0.1:3234/sign-in");
    await page.getByLabel("Email").fill("ops@example.com");
    await page.getByLabel("Password").fill("ops-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
    await expect(page.locator('[data-testid="key-row"][data-key-name="Bootstrap key"]')).toContainText("sk-proj-...nsts");
  } finally {
    await a.stop();
    await b.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
});
