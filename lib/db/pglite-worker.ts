// The embedded database's own thread. PGlite is PostgreSQL compiled to WASM: every statement
// runs synchronously on the thread that calls it, so on the server's main thread a batch of
// usage writes held up every API request for tens of milliseconds. Here it runs beside the
// main thread, which talks to it through lib/db/pglite-thread.ts.
//
// Messages are handled as they come: PGlite's own locks order them (a statement outside a
// transaction waits for the open transaction), and the steps of one transaction run in the
// order they were sent.

import { parentPort, workerData } from "node:worker_threads";
import { PGlite, messages, type Results, type Transaction } from "@electric-sql/pglite";
import { lowerThisThreadPriority } from "../worker-thread";
import { DATABASE_ERROR_FIELDS, READY_ID, type WireError, type WorkerReply, type WorkerRequest } from "./pglite-protocol";

function wireError(err: unknown): WireError {
  if (err instanceof messages.DatabaseError) {
    const database: WireError["database"] = {};
    for (const f of DATABASE_ERROR_FIELDS) database[f] = err[f];
    return { message: err.message, database };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

// Structured cloning turns a Buffer into a plain Uint8Array; PGlite serializes bytea from Buffers.
function toBuffers(params: unknown[]): unknown[] {
  const fix = (v: unknown) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
  return params.map((p) => (Array.isArray(p) ? p.map(fix) : fix(p)));
}

// Values of these types come back as PostgreSQL's text; the main thread parses them with the
// caller's parsers (functions do not cross threads).
const keepText = (text: string) => text;

function plain(result: Results): Results {
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

class RolledBack extends Error {}

type Open = {
  tx: Transaction;
  /** Settles the transaction's callback: resolve commits, reject rolls back. */
  finish: (commit: boolean) => void;
  done: Promise<unknown>;
  /** The transaction's steps, one after the other. */
  chain: Promise<unknown>;
};

// On a machine with few cores, a batch of usage writes running beside the API competed with it
// for the CPU and slowed the requests around it. At nice 10 this thread gets about a tenth of a
// core's share against a busy one, still enough to keep up with thousands of events a second.
const NICE = 10;

async function main() {
  const port = parentPort!;
  lowerThisThreadPriority(NICE);
  const fail = (id: number, err: unknown) => port.postMessage({ id, ok: false, error: wireError(err) } satisfies WorkerReply);
  const reply = (id: number, result: unknown) => {
    try {
      port.postMessage({ id, ok: true, result } satisfies WorkerReply);
    } catch (err) {
      fail(id, new Error(`the result cannot be sent to the main thread: ${(err as Error).message}`));
    }
  };

  let db: PGlite;
  try {
    db = new PGlite((workerData as { dataDir: string }).dataDir);
    await db.waitReady;
  } catch (err) {
    fail(READY_ID, err);
    return;
  }
  const open = new Map<number, Open>();
  let nextTx = 1;

  const openTx = (id: number) => {
    const number = nextTx++;
    let started = false;
    let entry: Open | undefined;
    const done = db.transaction(
      (tx) =>
        new Promise((resolve, reject) => {
          started = true;
          entry = { tx, finish: (commit) => (commit ? resolve(undefined) : reject(new RolledBack())), done, chain: Promise.resolve() };
          open.set(number, entry);
          reply(id, number);
        }),
    );
    done.catch((err) => {
      if (!started) fail(id, err); // BEGIN itself failed
    });
  };

  /** Runs `step` on transaction `number` after its earlier steps, or on the database outside one. */
  const run = (id: number, number: number | undefined, step: (q: PGlite | Transaction) => Promise<unknown>) => {
    if (number === undefined) {
      step(db).then((r) => reply(id, r), (err) => fail(id, err));
      return;
    }
    const entry = open.get(number);
    if (!entry) return fail(id, new Error(`transaction ${number} is not open`));
    const result = entry.chain.then(() => step(entry.tx));
    entry.chain = result.catch(() => {});
    result.then((r) => reply(id, r), (err) => fail(id, err));
  };

  port.on("message", (msg: WorkerRequest) => {
    switch (msg.op) {
      case "query": {
        const parsers = Object.fromEntries(msg.rawTypes.map((t) => [t, keepText]));
        run(msg.id, msg.tx, async (q) => plain(await q.query(msg.sql, toBuffers(msg.params), { rowMode: msg.rowMode, parsers })));
        return;
      }
      case "exec":
        run(msg.id, msg.tx, async (q) => (await q.exec(msg.sql)).map(plain));
        return;
      case "begin":
        openTx(msg.id);
        return;
      case "rollback":
        run(msg.id, msg.tx, (q) => (q as Transaction).rollback());
        return;
      case "end": {
        const entry = open.get(msg.tx);
        if (!entry) return fail(msg.id, new Error(`transaction ${msg.tx} is not open`));
        open.delete(msg.tx); // a step sent after its end is refused, not run in it
        entry.chain.then(async () => {
          entry.finish(msg.commit);
          try {
            await entry.done;
            reply(msg.id, null);
          } catch (err) {
            if (err instanceof RolledBack) reply(msg.id, null);
            else fail(msg.id, err);
          }
        });
        return;
      }
      case "close":
        db.close().then(() => reply(msg.id, null), (err) => fail(msg.id, err));
        return;
    }
  });
  reply(READY_ID, null);
}

void main();
