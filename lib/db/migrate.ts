import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SqlRunner } from "./database";

export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies pending migrations in name order, each in its own transaction, recording them in
 * `_gatehouse_migrations`. Safe to call from several instances at once: they take turns on
 * an advisory lock, and whoever comes second finds nothing left to do.
 */
export async function migrate(sql: SqlRunner, dir = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const migrations = readMigrations(dir);
  return sql.withMigrationLock(async (conn) => {
    await conn.exec(`CREATE TABLE IF NOT EXISTS "_gatehouse_migrations" (
      "name" TEXT PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const done = new Map(
      (await conn.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "_gatehouse_migrations"`)).map(
        (r) => [r.name, r.checksum],
      ),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      const previous = done.get(m.name);
      if (previous) {
        if (previous !== m.checksum) {
          console.warn(JSON.stringify({ level: "warn", msg: "applied migration was edited since", migration: m.name }));
        }
        continue;
      }
      await conn.exec("BEGIN");
      try {
        await conn.exec(m.sql);
        await conn.query(`INSERT INTO "_gatehouse_migrations" ("name", "checksum") VALUES ($1, $2)`, [m.name, m.checksum]);
        await conn.exec("COMMIT");
      } catch (err) {
        await conn.exec("ROLLBACK").catch(() => {});
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    return { applied };
  });
}

/** True when every migration on disk is recorded as applied. */
export async function isMigrated(sql: SqlRunner, dir = MIGRATIONS_DIR): Promise<boolean> {
  const rows = await sql.query<{ name: string }>(`SELECT "name" FROM "_gatehouse_migrations"`).catch(() => null);
  if (!rows) return false;
  const names = new Set(rows.map((r) => r.name));
  return readMigrations(dir).every((m) => names.has(m.name));
}
