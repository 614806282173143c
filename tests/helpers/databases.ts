import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/database";

// Integration tests run against both dialect hosts: embedded PGlite and the machine's
// PostgreSQL. Each call makes a fresh, uniquely named database and drops it afterwards.

export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const KINDS = (process.env.TEST_DB_KINDS ?? "pglite,postgres").split(",") as ("pglite" | "postgres")[];

export type TestDatabase = { db: Database; url?: string; dataDir: string; drop(): Promise<void> };

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gatehouse_test_${Date.now()}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestDatabase(kind: "pglite" | "postgres"): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-test-"));
  if (kind === "pglite") {
    const db = await openDatabase({ dataDir });
    return {
      db, dataDir,
      async drop() {
        await db.close().catch(() => {});
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const pgdb = await createPostgresDatabase();
  const db = await openDatabase({ databaseUrl: pgdb.url, dataDir });
  return {
    db, url: pgdb.url, dataDir,
    async drop() {
      await db.close().catch(() => {});
      await pgdb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
