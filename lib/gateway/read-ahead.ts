// Pulls a provider's stream ahead of the client: generation continues while earlier events are
// being encoded and written, instead of waiting for each write (a pull-based stream otherwise
// resumes the generator only when the client side asks for more). Bounded, so a slow client
// still slows the provider down once `max` events are waiting.

export function readAhead<T>(source: AsyncIterator<T>, max = 256): AsyncIterator<T> {
  const queue: IteratorResult<T>[] = [];
  let failure: { error: unknown } | null = null;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  let stopped = false;
  let ended = false;

  const notify = () => {
    wakeConsumer?.();
    wakeConsumer = null;
  };

  void (async () => {
    try {
      while (!stopped) {
        if (queue.length >= max) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
          continue;
        }
        const result = await source.next();
        queue.push(result);
        if (result.done) ended = true;
        notify();
        if (result.done) return;
      }
    } catch (error) {
      failure = { error };
      notify();
    }
  })();

  return {
    async next(): Promise<IteratorResult<T>> {
      while (!queue.length && !failure && !ended) await new Promise<void>((resolve) => (wakeConsumer = resolve));
      if (queue.length) {
        const result = queue.shift()!;
        if (result.done) queue.unshift(result); // stays done for later calls
        wakeProducer?.();
        wakeProducer = null;
        return result;
      }
      if (failure) throw failure.error;
      return { done: true, value: undefined };
    },
    async return(): Promise<IteratorResult<T>> {
      stopped = true;
      wakeProducer?.();
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}
