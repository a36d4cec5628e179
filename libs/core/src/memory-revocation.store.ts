import { LRUCache } from 'lru-cache';
import type { RevocationStore } from './revocation-store.interface.js';

/**
 * The default revocation list, in this process's memory. Entries live only as long as the
 * credentials they name, so its size is bounded by the revocations made per access-token lifetime;
 * `maxEntries` caps it (default 1,000,000), and reaching the cap evicts the oldest entry.
 */
export class MemoryRevocationStore implements RevocationStore {
  protected readonly entries: LRUCache<string, number>;

  constructor(maxEntries = 1_000_000) {
    // No timer per lookup: see MemoryCache.
    this.entries = new LRUCache({ max: maxEntries, ttlAutopurge: false, ttlResolution: 0 });
  }

  /** Records a revocation locally (also used to mirror revocations made elsewhere). */
  remember(key: string, revokedAt: number, ttlMs: number): void {
    if (ttlMs <= 0) return;
    const previous = this.entries.get(key);
    // A later revocation of the same key covers everything an earlier one did.
    this.entries.set(key, Math.max(previous ?? 0, revokedAt), { ttl: Math.ceil(ttlMs) });
  }

  async revoke(key: string, revokedAt: number, ttlMs: number): Promise<void> {
    this.remember(key, revokedAt, ttlMs);
  }

  revokedAt(key: string): number | undefined {
    return this.entries.get(key);
  }
}
