// A fair FIFO admission queue in front of one local model: `concurrency` jobs run, at most
// `maxWaiting()` wait in arrival order, and a waiter whose request is aborted leaves at once
// (its place goes to the next in line, not to whoever calls next).

export type Release = () => void;

// Recognised by a registered symbol, not class identity: a model's queue lives on globalThis
// and may have been created by another bundle's copy of this module.
const QUEUE_FULL = Symbol.for("gatehouse.QueueFullError");

export class QueueFullError extends Error {
  readonly [QUEUE_FULL] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[QUEUE_FULL] === true;
  }

  constructor(public readonly waiting: number) {
    super(`queue full (${waiting} waiting)`);
    this.name = "QueueFullError";
  }
}

type Waiter = { resolve: (release: Release) => void; reject: (reason: unknown) => void; detach: () => void };

export class WorkQueue {
  private readonly waiting: Waiter[] = [];
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: () => number,
  ) {}

  get active(): number {
    return this.running;
  }

  get depth(): number {
    return this.waiting.length;
  }

  /** True when a new request would be refused right now. */
  get full(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxWaiting();
  }

  /**
   * Resolves with a release function once the caller may run. Rejects with QueueFullError when
   * the queue is full, and with the signal's reason when the request is aborted while waiting.
   */
  acquire(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.running < this.concurrency && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting()) return Promise.reject(new QueueFullError(this.waiting.length));
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = { resolve, reject, detach: () => signal.removeEventListener("abort", onAbort) };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Rejects every waiter (shutdown); running jobs finish on their own. */
  rejectAll(reason: unknown): void {
    for (const w of this.waiting.splice(0)) {
      w.detach();
      w.reject(reason);
    }
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.dispatch();
    };
  }

  private dispatch(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      next.detach();
      this.running++;
      next.resolve(this.releaser());
    }
  }
}
