import fs from "node:fs";
import os from "node:os";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A worker thread running `file`, a TypeScript module beside the caller's, when the caller runs
 * from source (tests and scripts under tsx); null when the caller is bundled.
 *
 * Bundled (Next.js/Turbopack), a module starts its worker with a static
 * `new Worker(new URL("./file.ts", import.meta.url))`, which the bundler sees and rewrites to the
 * worker's chunk. Under tsx, a .ts worker does not get tsx's loader from `--import tsx` in
 * execArgv (tsx issue #354), so a tiny eval bootstrap registers tsx in the worker first.
 */
export function workerFromSource(callerUrl: string, file: string, options: WorkerOptions = {}): Worker | null {
  if (!callerUrl.endsWith(".ts")) return null;
  const href = callerUrl.replace(/[^/]+$/, file);
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Lowers the scheduling priority of the calling thread to `nice` (on Linux a thread id names one
 * thread, so the rest of the process keeps its priority); elsewhere, or when not permitted, a
 * no-op. Background threads call it first, so that on a machine with few cores they take the CPU
 * only when the API's thread does not need it.
 */
export function lowerThisThreadPriority(nice: number): void {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid)) os.setPriority(tid, nice);
  } catch {
    // not Linux, or not permitted: the thread keeps the process's priority
  }
}
