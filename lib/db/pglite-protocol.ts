// Messages between the main thread (lib/db/pglite-thread.ts) and the embedded database's thread
// (lib/db/pglite-worker.ts).

export type WorkerRequest =
  | { id: number; op: "query"; sql: string; params: unknown[]; rowMode?: "array" | "object"; rawTypes: number[]; tx?: number }
  | { id: number; op: "exec"; sql: string; tx?: number }
  /** Opens a transaction; the reply's result is its number. */
  | { id: number; op: "begin" }
  /** Rolls back now; the transaction stays open until "end". */
  | { id: number; op: "rollback"; tx: number }
  /** Ends a transaction: commits (unless rolled back) or rolls back; replies once it is over. */
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "close" };

/** A PostgreSQL error travels as its fields and is rebuilt as PGlite's DatabaseError. */
export type WireError = { message: string; database?: Record<string, string | number | undefined> };
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };
/** The reply to id 0 says the database is open (or why it could not be). */
export const READY_ID = 0;

/** The fields of a PostgreSQL error that cross threads. */
export const DATABASE_ERROR_FIELDS = [
  "length", "name", "severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery",
  "where", "schema", "table", "column", "dataType", "constraint", "file", "line", "routine",
] as const;
