/**
 * Waits until `promise` settles, or `ms` have passed, whichever comes first. Resolves to whether
 * it settled in time; never rejects (the caller decides what a late or failed step means).
 */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
