import "server-only";

// In-flight /v1 requests (streams count until their last byte), so shutdown can wait for them.
const g = globalThis as unknown as { __gatehouseInflight?: { count: number; draining: boolean; waiters: (() => void)[] } };
const state = () => (g.__gatehouseInflight ??= { count: 0, draining: false, waiters: [] });

export function requestStarted() {
  state().count += 1;
}

export function requestEnded() {
  const s = state();
  s.count = Math.max(0, s.count - 1);
  if (s.count === 0) for (const w of s.waiters.splice(0)) w();
}

export function isDraining() {
  return state().draining;
}

/** Stops admitting new requests and resolves when the running ones are done (or after timeoutMs). */
export function drain(timeoutMs: number): Promise<void> {
  const s = state();
  s.draining = true;
  if (s.count === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    s.waiters.push(() => {
      clearTimeout(t);
      resolve();
    });
  });
}
