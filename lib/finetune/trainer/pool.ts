// A fixed set of compute workers, one task at a time each, addressed by index. Keeps the caller's
// event loop free: the main thread only sends indices and sums a few numbers.

import { Worker } from "node:worker_threads";
import { workerFromSource } from "@/lib/worker-thread";
import type { InitMessage, Task, WorkerReply } from "./protocol";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Starts worker.ts (see workerFromSource for how, bundled and from source). */
function spawnWorker(): Worker {
  return workerFromSource(import.meta.url, "worker.ts") ?? new Worker(new URL("./worker.ts", import.meta.url));
}

export class WorkerPool {
  private workers: Worker[] = [];
  private pending: Map<number, Pending>[] = [];
  private nextId = 1;
  private dead: Error | null = null;

  private constructor(readonly size: number) {}

  /** Starts `size` workers and sends each its init message. */
  static async create(size: number, init: (index: number) => InitMessage): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    const ready: Promise<unknown>[] = [];
    for (let i = 0; i < size; i++) {
      const w = spawnWorker();
      const pending = new Map<number, Pending>();
      pool.workers.push(w);
      pool.pending.push(pending);
      w.on("message", (msg: WorkerReply) => {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new Error(msg.error));
      });
      const fail = (err: Error) => {
        pool.dead ??= err;
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      };
      w.on("error", fail);
      w.on("exit", (code) => fail(new Error(`training worker exited (code ${code})`)));
      ready.push(
        new Promise((resolve, reject) => {
          pending.set(-1, { resolve, reject });
          w.postMessage(init(i));
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.terminate();
      throw err;
    }
    return pool;
  }

  run<T>(worker: number, task: Task): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending[worker].set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.workers[worker].postMessage({ ...task, id });
    });
  }

  /** Stops every worker at once (mid-computation too); pending tasks reject. */
  async terminate(): Promise<void> {
    this.dead ??= new Error("worker pool terminated");
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}
