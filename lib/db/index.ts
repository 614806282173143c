import "server-only";
import { getConfig } from "@/lib/config";
import { openDatabase, type Database } from "./database";

export type { Database } from "./database";

// One database handle per process. Kept on globalThis because Next.js may load this module
// in more than one server bundle, and PGlite allows one opener per data directory.
const g = globalThis as unknown as { __gatehouseDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  if (!g.__gatehouseDb) {
    const config = getConfig();
    g.__gatehouseDb = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
    g.__gatehouseDb.catch(() => {
      g.__gatehouseDb = undefined; // let the next caller retry
    });
  }
  return g.__gatehouseDb;
}

/** The Prisma client. */
export async function db() {
  return (await getDatabase()).prisma;
}

/** Points this process at an already opened database (tests open a fresh one per run). */
export function useDatabase(database: Database) {
  g.__gatehouseDb = Promise.resolve(database);
}

export type DbClient = Database["prisma"];
/** The client inside `prisma.$transaction(async (tx) => ...)`. */
export type Tx = Omit<DbClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
