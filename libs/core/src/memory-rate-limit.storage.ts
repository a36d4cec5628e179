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
  /**
   * The key counted last and its window. Refusals come in runs from one address, and the window
   * counted last is the most recently used: counting it again needs neither the key's full name
   * nor the LRU lookup. Only `incrementNow` adds to `windows`, so nothing evicts it in between.
   */
  private last: LastCounted | undefined;

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
    let last = this.last;
    if (last === undefined || last.key !== key || last.throttlerName !== throttlerName) {
      const counted = `${throttlerName}:${key}`;
      last = this.last = { key, throttlerName, counted, window: this.windows.get(counted) };
    }
    let window = last.window;
    // A blocked key starts over when its block ends; an unblocked one when its window ends.
    if (!window || now >= (window.blockedUntil !== 0 ? window.blockedUntil : window.expiresAt)) {
      window = last.window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(last.counted, window);
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

/** The arguments of the last count, the window's full name and the window. */
interface LastCounted {
  readonly key: string;
  readonly throttlerName: string;
  readonly counted: string;
  window: Window | undefined;
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
