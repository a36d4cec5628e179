import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';
import type { RateLimitStorage, ThrottlerStorageRecord } from './rate-limit-storage.interface.js';

interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * Per-instance counters with the semantics of the Redis storage's script (a fixed window that
 * starts at the first hit; past `limit` the key is blocked for `blockDuration`, then starts over),
 * so falling back from Redis changes where counts live, not what they mean. It reads the
 * injectable clock (tests freeze it) and holds at most `maxEntries` keys, forgetting the least
 * recently used first.
 */
export class MemoryRateLimitStorage implements RateLimitStorage {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly clock: Clock,
    maxEntries = 100_000,
  ) {
    this.windows = new LRUCache<string, Window>({ max: maxEntries });
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return Promise.resolve(this.incrementNow(key, ttl, limit, blockDuration, throttlerName));
  }

  /** The synchronous core of `increment`, with the same arguments and the same count. */
  incrementNow(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ThrottlerStorageRecord {
    const now = this.clock.now();
    const counted = `${throttlerName}:${key}`;
    let window = this.windows.get(counted);
    // A blocked key starts over when its block ends; an unblocked one when its window ends.
    if (!window || now >= (window.blockedUntil !== 0 ? window.blockedUntil : window.expiresAt)) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(counted, window);
    }
    window.hits++;
    if (window.blockedUntil === 0 && window.hits > limit) window.blockedUntil = now + Math.max(blockDuration, 1);
    const blocked = window.blockedUntil > now;
    return {
      totalHits: window.hits,
      timeToExpire: Math.max(0, Math.ceil((window.expiresAt - now) / 1000)),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }
}

/**
 * Per-instance counters for counts that must cost no I/O (credentials refused by their shape):
 * `storage` itself when it is the in-memory storage, so such counts join the others; the Redis
 * storage's in-memory fallback; otherwise (an app's own storage) counters of their own.
 */
export function localRateLimitStorage(storage: RateLimitStorage, clock: Clock, maxEntries?: number): MemoryRateLimitStorage {
  if (storage instanceof MemoryRateLimitStorage) return storage;
  const fallback = (storage as { memory?: unknown }).memory;
  return fallback instanceof MemoryRateLimitStorage ? fallback : new MemoryRateLimitStorage(clock, maxEntries);
}
