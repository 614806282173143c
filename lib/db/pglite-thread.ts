// The main thread's side of the embedded database (lib/db/pglite-worker.ts runs PGlite on a
// thread of its own). It offers the part of PGlite's interface that Gatehouse and the Prisma
// adapter use: query, exec, transaction, close.

import { Worker } from "node:worker_threads";
import { messages, type Results } from "@electric-sql/pglite";
import { log } from "@/lib/log";
import { settleWithin } from "@/lib/settle-within";
import { workerFromSource } from "@/lib/worker-thread";
import { READY_ID, type WireError, type WorkerReply, type WorkerRequest } from "./pglite-protocol";

type Parser = (text: string, typeId: number) => unknown;
export type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, Parser> };

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
// Distributes Omit over the union, so each request keeps its own fields.
type Outgoing = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

export interface PGliteTx {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  rollback(): Promise<void>;
}

function toError(w: WireError): Error {
  if (!w.database) return new Error(w.message);
  const { length, name, ...fields } = w.database;
  return Object.assign(new messages.DatabaseError(w.message, Number(length ?? 0), name as "error"), fields);
}

/** Applies the caller's parsers to the columns the worker left as text. */
function parse(result: Results, parsers: Record<number, Parser>, rowMode: QueryOptions["rowMode"]) {
  result.fields.forEach((field, i) => {
    const parser = parsers[field.dataTypeID];
    if (!parser) return;
    // In object rows a repeated column name holds the last such column's value only.
    if (rowMode !== "array" && result.fields.findLastIndex((f) => f.name === field.name) !== i) return;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      const key = rowMode === "array" ? i : field.name;
      const text = row[key];
      if (text !== null && text !== undefined) row[key] = parser(text as string, field.dataTypeID);
    }
  });
}

export class PGliteThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = READY_ID + 1;
  private dead: Error | null = null;
  private markLost!: (err: Error) => void;
  /** Settles if the thread stops other than through close(): the database is gone for good. */
  readonly lost = new Promise<Error>((resolve) => (this.markLost = resolve));

  private constructor(private readonly worker: Worker) {
    worker.on("message", (msg: WorkerReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.settled(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(toError(msg.error));
    });
    // A reply that cannot be read here: its caller cannot be told which, so the thread is stopped.
    worker.on("messageerror", (err) => void worker.terminate().then(() => stop(new Error(`the embedded database sent an unreadable reply: ${err.message}`))));
    const stop = (err: Error) => {
      if (!this.dead) {
        this.dead = err;
        log.error("the embedded database stopped", { error: err.message });
        this.markLost(err);
      }
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
    };
    worker.on("error", (err) => stop(new Error(`the embedded database stopped: ${err.message}`)));
    worker.on("exit", (code) => stop(new Error(`the embedded database stopped (thread exit code ${code})`)));
  }

  /** Opens the PGlite database in `dataDir` on a new thread. */
  static async open(dataDir: string): Promise<PGliteThread> {
    const options = { workerData: { dataDir } };
    const worker = workerFromSource(import.meta.url, "pglite-worker.ts", options) ?? new Worker(new URL("./pglite-worker.ts", import.meta.url), options);
    const thread = new PGliteThread(worker);
    try {
      await thread.awaitReply(READY_ID);
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return thread;
  }

  // The thread keeps the process alive only while an answer is awaited.
  private awaitReply<T>(id: number): Promise<T> {
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  private settled(id: number) {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private call<T>(request: Outgoing): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const answer = this.awaitReply<T>(id);
    try {
      this.worker.postMessage({ ...request, id });
    } catch (err) {
      // A value that cannot be copied to the thread (a function, say).
      const p = this.pending.get(id)!;
      this.settled(id);
      p.reject(new Error(`cannot send this statement to the embedded database: ${(err as Error).message}`));
    }
    return answer;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], options: QueryOptions = {}, tx?: number): Promise<Results<T>> {
    const parsers = options.parsers ?? {};
    const rawTypes = Object.keys(parsers).map(Number);
    const result = await this.call<Results<T>>({ op: "query", sql, params, rowMode: options.rowMode, rawTypes, tx });
    if (rawTypes.length > 0) parse(result as Results, parsers, options.rowMode);
    return result;
  }

  exec(sql: string, tx?: number): Promise<Results[]> {
    return this.call({ op: "exec", sql, tx });
  }

  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: PGliteTx) => Promise<T>): Promise<T> {
    const number = await this.call<number>({ op: "begin" });
    let rolledBack = false;
    const tx: PGliteTx = {
      query: (sql, params, options) => this.query(sql, params, options, number),
      exec: (sql) => this.exec(sql, number),
      rollback: () => {
        rolledBack = true;
        const done = this.call<void>({ op: "rollback", tx: number });
        done.catch(() => {}); // callers may not await it; "end" reports the outcome
        return done;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await this.call({ op: "end", tx: number, commit: false }).catch(() => {});
      throw err;
    }
    await this.call({ op: "end", tx: number, commit: !rolledBack });
    return result;
  }

  /**
   * Shuts PostgreSQL down cleanly (a checkpoint, so the next start needs no recovery) and stops
   * the thread; statements sent from now on are refused. Gives up waiting after `timeoutMs` (a
   * statement or transaction that does not end) and stops the thread anyway.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.dead) return void (await this.worker.terminate());
    const closing = this.call({ op: "close" });
    this.dead = new Error("the embedded database is closed");
    await settleWithin(closing, timeoutMs);
    await this.worker.terminate();
  }
}
