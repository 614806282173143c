import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** Raw SQL access beside Prisma, for migrations and health checks. */
export interface SqlRunner {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `fn` holding the migration lock: a PostgreSQL advisory lock held on one dedicated
   * connection, so concurrent instances migrate one at a time.
   */
  withMigrationLock<T>(fn: (conn: Omit<SqlRunner, "withMigrationLock">) => Promise<T>): Promise<T>;
}

export type Database = {
  kind: "pglite" | "postgres";
  prisma: ReturnType<typeof makePrisma>;
  sql: SqlRunner;
  close(): Promise<void>;
  /** Settles if the database stopped for good (the embedded database's thread died). */
  lost?: Promise<Error>;
};

type Adapter = NonNullable<NonNullable<ConstructorParameters<typeof PrismaClient>[0]>["adapter"]>;

function makePrisma(adapter: Adapter) {
  // Secrets never leave the database by default; code that needs them asks explicitly.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

// Arbitrary fixed 64-bit key identifying Gatehouse's migration lock.
const MIGRATION_LOCK_KEY = "7316500247121140331";

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPGlite(path.join(opts.dataDir, "pglite"));
}

async function openPostgres(url: string): Promise<Database> {
  const pg = (await import("pg")).default;
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", (err) => console.error(JSON.stringify({ level: "error", msg: "postgres pool error", error: err.message })));
  const prisma = makePrisma(new PrismaPg(pool));
  const sql: SqlRunner = {
    async exec(text) {
      await pool.query(text);
    },
    async query(text, params) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async withMigrationLock(fn) {
      const client = await pool.connect();
      try {
        await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
        try {
          return await fn({
            exec: async (text) => void (await client.query(text)),
            query: async (text, params) => (await client.query(text, params as unknown[])).rows,
          });
        } finally {
          await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
        }
      } finally {
        client.release();
      }
    },
  };
  return {
    kind: "postgres",
    prisma,
    sql,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

async function openPGlite(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true });
  const { PGliteThread } = await import("./pglite-thread");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  // PGlite runs on its own thread, so that statements (a batch of usage writes) never hold up
  // the event loop that answers API requests.
  const pglite = await PGliteThread.open(dir);
  // pglite-prisma-adapter pins an older @prisma/driver-adapter-utils whose types differ
  // nominally from 6.19's, and takes a PGlite; the runtime interface it uses (query with
  // rowMode and parsers, exec, transaction, and rollback in one) is PGliteThread's.
  const prisma = makePrisma(new PrismaPGlite(pglite as never) as unknown as Adapter);
  // PGlite is one connection: a promise chain is the migration lock.
  let lock: Promise<unknown> = Promise.resolve();
  const conn = {
    exec: async (text: string) => void (await pglite.exec(text)),
    query: async <T,>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
  };
  const sql: SqlRunner = {
    ...conn,
    withMigrationLock(fn) {
      const run = lock.then(() => fn(conn));
      lock = run.catch(() => {});
      return run;
    },
  };
  return {
    kind: "pglite",
    prisma,
    sql,
    lost: pglite.lost,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
