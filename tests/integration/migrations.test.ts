import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openDatabase } from "@/lib/db/database";
import { isMigrated, migrate, readMigrations } from "@/lib/db/migrate";
import { createPostgresDatabase, KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases";

for (const kind of KINDS) {
  describe(`migrations on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(kind);
    });
    after(() => t.drop());

    it("applies every migration from empty, then a re-run is a no-op", async () => {
      assert.equal(await isMigrated(t.db.sql), false);
      const first = await migrate(t.db.sql);
      assert.deepEqual(first.applied, readMigrations().map((m) => m.name));
      assert.ok(first.applied.length >= 1);
      assert.equal(await isMigrated(t.db.sql), true);
      const second = await migrate(t.db.sql);
      assert.deepEqual(second.applied, []);
      const tables = await t.db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('User','Organization','Project','ApiKey','AuditEvent','Invitation','ServiceAccount')`,
      );
      assert.equal(tables[0].n, 7);
      // The schema works through Prisma, not just in SQL.
      const user = await t.db.prisma.user.create({ data: { email: `m-${kind}@example.com` } });
      assert.equal((await t.db.prisma.user.findUnique({ where: { id: user.id } }))?.email, `m-${kind}@example.com`);
    });
  });
}

if (KINDS.includes("postgres")) {
  describe("concurrent migrators on one PostgreSQL", () => {
    it("two instances starting at once apply each migration exactly once", async () => {
      const pgdb = await createPostgresDatabase();
      const a = await openDatabase({ databaseUrl: pgdb.url, dataDir: "/tmp" });
      const b = await openDatabase({ databaseUrl: pgdb.url, dataDir: "/tmp" });
      try {
        const [ra, rb] = await Promise.all([migrate(a.sql), migrate(b.sql)]);
        const all = [...ra.applied, ...rb.applied].sort();
        assert.deepEqual(all, readMigrations().map((m) => m.name).sort());
        // one of them did all the work, the other found nothing to do
        assert.ok(ra.applied.length === 0 || rb.applied.length === 0);
        const rows = await a.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_gatehouse_migrations"`);
        assert.equal(rows[0].n, readMigrations().length);
      } finally {
        await a.close();
        await b.close();
        await pgdb.drop();
      }
    });
  });
}
