import { GatehouseError } from './gatehouse.error.js';
import type { Clock } from './clock.js';
import type { RevocationStore } from './revocation-store.interface.js';

/** A mirrored revocation: when it was made and when the credentials it names expire anyway. */
interface MirroredRevocation {
  revokedAt: number;
  expiresAt: number;
}

/** Seconds a client is told to wait while the mirror is over its bound. */
const SATURATED_RETRY_AFTER_SECONDS = 30;

/**
 * The revocation list in this process's memory. Entries leave only by expiry, never by
 * eviction: a flood of revocations cannot push out a victim's. Memory is bounded by
 * `maxEntries` (default 1,000,000, about 200 bytes each, so ~200 MB at the bound). A revocation
 * that arrives when the mirror is full (after purging the expired) is not dropped silently: every
 * check refuses with 503 `service_unavailable` until that entry would have expired (fail closed).
 */
export class MemoryRevocationStore implements RevocationStore {
  protected readonly entries = new Map<string, MirroredRevocation>();
  /** While the mirror has refused an entry: checks fail closed until this time (epoch ms). */
  private saturatedUntil = 0;

  constructor(
    protected readonly maxEntries = 1_000_000,
    protected readonly clock: Clock = { now: () => Date.now() },
  ) {}

  /** Records a revocation locally (also used to mirror revocations made elsewhere). */
  remember(key: string, revokedAt: number, ttlMs: number, now = this.clock.now()): void {
    if (ttlMs <= 0) return;
    const expiresAt = now + Math.ceil(ttlMs);
    const previous = this.entries.get(key);
    if (previous) {
      // A later revocation of the same key covers everything an earlier one did.
      previous.revokedAt = Math.max(previous.revokedAt, revokedAt);
      previous.expiresAt = Math.max(previous.expiresAt, expiresAt);
      return;
    }
    this.purgeOldest(now);
    if (this.entries.size >= this.maxEntries) this.purgeExpired(now);
    if (this.entries.size >= this.maxEntries) {
      this.saturatedUntil = Math.max(this.saturatedUntil, expiresAt);
      return;
    }
    this.entries.set(key, { revokedAt, expiresAt });
  }

  async revoke(key: string, revokedAt: number, ttlMs: number): Promise<void> {
    this.remember(key, revokedAt, ttlMs);
  }

  revokedAt(key: string): number | undefined {
    return this.revokedAtTime(key, this.clock.now());
  }

  /** `revokedAt` at `now`, read once by the caller (a subclass that checks more at the same instant). */
  protected revokedAtTime(key: string, now: number): number | undefined {
    this.assertComplete(now);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.revokedAt;
  }

  /** How many revocations are mirrored (expired ones may linger until the next purge). */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every expired entry: O(n), run when the bound is reached and on the store's own tick. */
  purgeExpired(now = this.clock.now()): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.saturatedUntil <= now) this.saturatedUntil = 0;
  }

  /** Refuses (503) while an entry had to be turned away, so a forgotten revocation never passes. */
  protected assertComplete(now: number): void {
    if (this.saturatedUntil > now) {
      throw new GatehouseError('service_unavailable', { retryAfter: SATURATED_RETRY_AFTER_SECONDS });
    }
  }

  /** True while an entry had to be turned away at the bound. */
  protected get saturated(): boolean {
    return this.saturatedUntil > 0;
  }

  /** Clears the fail-closed state: a caller that reloaded every live revocation from its source. */
  protected markComplete(): void {
    this.saturatedUntil = 0;
  }

  /** Amortised expiry: most entries share a lifetime, so insertion order is nearly expiry order. */
  private purgeOldest(now: number): void {
    let checked = 0;
    for (const [key, entry] of this.entries) {
      if (checked++ >= 4 || entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }
}
