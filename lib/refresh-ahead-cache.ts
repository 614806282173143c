import { LRUCache } from "lru-cache";
import { log } from "@/lib/log";

/**
 * A cache of database reads on the API's hot path (keys, project policies). An entry is never
 * used after its TTL; in the last fifth of its TTL, a request that uses it also starts a reload
 * in the background. So under steady traffic no request waits for a reload, where a plain TTL
 * cache made one request every TTL wait for the database.
 *
 * Concurrent misses of a key share one load. A load that fails is not cached (its callers get
 * the error). Invalidating (delete, deleteWhere, clear) also discards loads in flight, so that
 * a read begun before a change in the console never lands after it.
 */
export class RefreshAheadCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<K, V>;
  private readonly inFlight = new Map<K, Promise<V>>();
  private readonly refreshWithinMs: number;
  /** Bumped by every invalidation: a load begun under an older generation is not stored. */
  private generation = 0;

  constructor(private readonly options: { name: string; max: number; ttlMs: number; load: (key: K) => Promise<V> }) {
    this.lru = new LRUCache<K, V>({ max: options.max, ttl: Math.max(options.ttlMs, 1) });
    this.refreshWithinMs = options.ttlMs / 5;
  }

  get(key: K): Promise<V> {
    const hit = this.lru.get(key);
    if (hit === undefined) return this.load(key);
    if (this.lru.getRemainingTTL(key) <= this.refreshWithinMs && !this.inFlight.has(key)) {
      // The entry stays until its TTL; the next request after it waits for a load, and sees its error.
      this.load(key).catch((err) => log.warn(`${this.options.name}: reload failed`, { error: (err as Error).message }));
    }
    return Promise.resolve(hit);
  }

  private load(key: K): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const generation = this.generation;
    const loading = this.options.load(key).then(
      (value) => {
        if (this.generation === generation) this.lru.set(key, value);
        return value;
      },
    );
    this.inFlight.set(key, loading);
    const done = () => {
      if (this.inFlight.get(key) === loading) this.inFlight.delete(key);
    };
    loading.then(done, done);
    return loading;
  }

  delete(key: K) {
    this.invalidate();
    this.lru.delete(key);
  }

  deleteWhere(test: (value: V, key: K) => boolean) {
    this.invalidate();
    const doomed = [...this.lru.entries()].filter(([key, value]) => test(value, key));
    for (const [key] of doomed) this.lru.delete(key);
  }

  clear() {
    this.invalidate();
    this.lru.clear();
  }

  private invalidate() {
    this.generation++;
    this.inFlight.clear();
  }
}
