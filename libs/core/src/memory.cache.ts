import { LRUCache } from 'lru-cache';
import type { GatehouseCache } from './cache.interface.js';

/** The default cache: bounded LRU in this process's memory. Right for a single instance. */
export class MemoryCache implements GatehouseCache {
  protected readonly entries: LRUCache<string, { value: unknown }>;

  constructor(maxEntries = 100_000) {
    // `ttlResolution: 0` reads the monotonic clock on each expiry check. lru-cache's default (1 ms)
    // caches the reading and schedules a timer to forget it, so a busy server started a timer on
    // nearly every cache hit: measurably slower than the clock read it saves.
    this.entries = new LRUCache({ max: maxEntries, ttlAutopurge: false, ttlResolution: 0 });
  }

  get<T>(key: string): T | undefined {
    return this.entries.get(key)?.value as T | undefined;
  }

  set<T>(key: string, value: T, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.set(key, { value }, { ttl: Math.ceil(ttlMs) });
  }

  /** Drops the entry from this instance only. */
  drop(key: string): void {
    this.entries.delete(key);
  }

  async invalidate(key: string): Promise<void> {
    this.drop(key);
  }

  async isReady(): Promise<boolean> {
    return true;
  }
}
