import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { messages } from "@electric-sql/pglite";
import { PGliteThread } from "@/lib/db/pglite-thread";
import { isUniqueViolation } from "@/lib/db/errors";
import { openDatabase, type Database } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";

// The embedded database on its own thread (lib/db/pglite-thread.ts): what crosses the thread
// boundary (values, parsers, errors, transactions), and that the caller's event loop runs on
// while a statement does.

describe("PGlite on its own thread", () => {
  let dir: string;
  let db: PGliteThread;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-pglite-thread-"));
    db = await PGliteThread.open(dir);
    await db.exec(`CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, data bytea, at timestamptz, tags text[])`);
  });
  after(async () => {
    await db.close(); // again, if a test failed before the last one
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes parameters and rows across, and applies the caller's parsers to the columns they name", async () => {
    const at = new Date("2026-11-25T10:11:12.345Z");
    await db.query(`INSERT INTO t (id, name, data, at, tags) VALUES ($1, $2, $3, $4, $5)`, [1, "one", Buffer.from([0, 1, 255]), at, ["a", "b"]]);
    const plain = await db.query<{ id: number; name: string; data: Uint8Array; at: Date; tags: string[] }>(`SELECT * FROM t WHERE id = $1`, [1]);
    assert.equal(plain.rows.length, 1);
    assert.equal(plain.rows[0].name, "one");
    assert.deepEqual([...plain.rows[0].data], [0, 1, 255]);
    assert.equal(plain.rows[0].at.getTime(), at.getTime());
    assert.deepEqual(plain.rows[0].tags, ["a", "b"]);

    // Parsers are functions and cannot cross threads: their columns arrive as text and are parsed here.
    const seen: Array<[string, number]> = [];
    const parsed = await db.query(`SELECT id, at, data FROM t`, [], {
      rowMode: "array",
      parsers: { 1184: (text, type) => (seen.push([text, type]), `ts:${text}`) },
    });
    assert.deepEqual(seen, [["2026-11-25 10:11:12.345+00", 1184]]);
    assert.deepEqual(parsed.rows[0], [1, "ts:2026-11-25 10:11:12.345+00", new Uint8Array([0, 1, 255])]);
    assert.deepEqual(parsed.fields.map((f) => f.name), ["id", "at", "data"]);

    // Object rows keep the last of two same-named columns, parsed by its own type only.
    seen.length = 0;
    const same = await db.query(`SELECT at AS x, id::text AS x FROM t`, [], { parsers: { 1184: (text, type) => (seen.push([text, type]), text) } });
    assert.deepEqual(same.rows, [{ x: "1" }]);
    assert.deepEqual(seen, []);
  });

  it("rebuilds PostgreSQL errors with their fields", async () => {
    const err = await db.query(`INSERT INTO t (id, name) VALUES (1, 'again')`).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof messages.DatabaseError, `expected a DatabaseError, got ${String(err)}`);
    assert.equal(err.code, "23505");
    assert.equal(err.constraint, "t_pkey");
    assert.equal(err.table, "t");
    assert.match(err.message, /duplicate key/);
    await assert.rejects(db.exec(`SELECT * FROM missing_table`), (e: unknown) => e instanceof messages.DatabaseError && e.code === "42P01");
  });

  it("commits a transaction that resolves and rolls back one that throws or rolls back", async () => {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO t (id, name) VALUES (10, 'kept')`);
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO t (id, name) VALUES (11, 'thrown away')`);
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO t (id, name) VALUES (12, 'rolled back')`);
      void tx.rollback(); // the Prisma adapter does not await it
    });
    const ids = (await db.query<{ id: number }>(`SELECT id FROM t WHERE id >= 10 ORDER BY id`)).rows.map((r) => r.id);
    assert.deepEqual(ids, [10]);
  });

  it("holds a statement from outside until the open transaction ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedP = new Promise<void>((r) => (inserted = r));
    const tx = db.transaction(async (t) => {
      await t.query(`INSERT INTO t (id, name) VALUES (20, 'in flight')`);
      inserted();
      await gate;
    });
    await insertedP;
    let outsideDone = false;
    const outside = db.query<{ n: number }>(`SELECT count(*)::int AS n FROM t WHERE id = 20`).then((r) => ((outsideDone = true), r.rows[0].n));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(outsideDone, false, "a statement outside the transaction ran inside it");
    release();
    await tx;
    assert.equal(await outside, 1);
  });

  it("leaves the caller's event loop free while a statement runs", async () => {
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 2);
    const started = performance.now();
    await db.query(`SELECT count(*) FROM generate_series(1, 1000000)`);
    const took = performance.now() - started;
    clearInterval(timer);
    // In the caller's thread the statement would have been one gap as long as itself.
    assert.ok(took > 100, `the statement took ${took.toFixed(0)} ms: too short to tell`);
    assert.ok(ticks >= 10, `${ticks} timer ticks during ${took.toFixed(0)} ms`);
    assert.ok(longestGap < took / 2, `longest gap ${longestGap.toFixed(0)} ms during a ${took.toFixed(0)} ms statement`);
  });

  it("refuses statements once closed, with a clear error (last: closes the database)", async () => {
    await db.close();
    await assert.rejects(db.query(`SELECT 1`), /embedded database is closed/);
  });
});

describe("Prisma over the PGlite thread", () => {
  let dir: string;
  let database: Database;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-pglite-thread-"));
    database = await openDatabase({ dataDir: dir });
    await migrate(database.sql);
  });
  after(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs interactive transactions and reports unique violations as such", async () => {
    const prisma = database.prisma;
    const org = await prisma.$transaction(async (tx) => {
      const o = await tx.organization.create({ data: { name: "Thread test" } });
      await tx.project.create({ data: { orgId: o.id, name: "p" } });
      return o;
    });
    assert.equal(await prisma.project.count({ where: { orgId: org.id } }), 1);
    await assert.rejects(
      prisma.$transaction(async (tx) => {
        await tx.project.create({ data: { orgId: org.id, name: "q" } });
        throw new Error("abort");
      }),
      /abort/,
    );
    assert.equal(await prisma.project.count({ where: { orgId: org.id } }), 1, "the thrown transaction's project was kept");
    await prisma.user.create({ data: { email: "same@example.com" } });
    const dup = await prisma.user.create({ data: { email: "same@example.com" } }).then(() => null, (e: unknown) => e);
    assert.ok(dup && isUniqueViolation(dup), `expected a unique violation, got ${String(dup)}`);
    const created = await prisma.organization.findUniqueOrThrow({ where: { id: org.id } });
    assert.ok(created.createdAt instanceof Date);
    assert.equal(created.name, "Thread test");
  });
});

describe("PGlite thread that dies", () => {
  it("fails what was waiting and what comes after, and says the database is lost", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-pglite-thread-"));
    const thread = await PGliteThread.open(dir);
    try {
      const waiting = thread.query(`SELECT pg_sleep(0.5)`);
      // What a crash of the thread looks like from here (a WASM abort, say).
      await (thread as unknown as { worker: import("node:worker_threads").Worker }).worker.terminate();
      await assert.rejects(waiting, /embedded database stopped/);
      const lost = await thread.lost;
      assert.match(lost.message, /embedded database stopped/);
      await assert.rejects(thread.query(`SELECT 1`), /embedded database stopped/);
    } finally {
      await thread.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
