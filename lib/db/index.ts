import "server-only";
import { getConfig } from "@/lib/config";
import { settleWithin } from "@/lib/settle-within";
import { openDatabase, type Database } from "./database";

export type { Database } from "./database";

// One database handle per process. Kept on globalThis because Next.js may load this module
// in more than one server bundle, and PGlite allows one opener per data directory.
const g = globalThis as unknown as { __gatehouseDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  if (!g.__gatehouseDb) {
    const config = getConfig();
    const opening = (g.__gatehouseDb = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir }));
    opening.then(
      // A database that stops for good is opened again by the next caller.
      (database) => database.lost?.then(() => {
        if (g.__gatehouseDb === opening) g.__gatehouseDb = undefined;
      }),
      () => {
        if (g.__gatehouseDb === opening) g.__gatehouseDb = undefined; // let the next caller retry
      },
    );
  }
  return g.__gatehouseDb;
}

/** The Prisma client. */
export async function db() {
  return (await getDatabase()).prisma;
}

/**
 * Closes this process's database, if it was opened (graceful shutdown): the embedded database
 * then shuts down cleanly and needs no recovery at the next start. Waits at most `timeoutMs`.
 */
export async function closeDatabase(timeoutMs = 10_000): Promise<void> {
  const opened = g.__gatehouseDb;
  if (!opened) return;
  g.__gatehouseDb = undefined;
  await settleWithin(opened.then((d) => d.close()), timeoutMs);
}

/** Points this process at an already opened database (tests open a fresh one per run). */
export function useDatabase(database: Database) {
  g.__gatehouseDb = Promise.resolve(database);
}

export type DbClient = Database["prisma"];
/** The client inside `prisma.$transaction(async (tx) => ...)`. */
export type Tx = Omit<DbClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
