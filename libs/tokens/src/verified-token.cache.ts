import type { Principal } from '@gatehouse/core';

/** What a successful verification leaves behind for the next request with the same token. */
export interface VerifiedToken {
  /** Frozen: shared by every request carrying this token. */
  readonly principal: Principal;
  /** `exp` in epoch ms. */
  readonly expiresAt: number;
  /** `iat` in epoch ms. */
  readonly issuedAt: number;
  /** Revocation-store keys, built once so the hot path concatenates nothing. */
  readonly sessionKey: string | undefined;
  readonly subjectKey: string;
}

/**
 * Verified access tokens, keyed by the whole token string (never a hash or a prefix of it, so two
 * tokens can never share an entry — cf. fast-jwt GHSA-rp9m-7r4c-75qg), bounded, oldest evicted
 * first. A plain `Map` rather than the shared `GatehouseCache`: entries are immutable facts about
 * a signed token (nothing to invalidate across instances: revocation is checked separately on
 * every request), expiry is checked against the injected clock on each hit, and a `Map.get` is
 * the cheapest lookup there is for the hot path.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries: number) {}

  get(token: string): VerifiedToken | undefined {
    return this.entries.get(token);
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.maxEntries === 0) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      // Insertion order is close to expiry order (one lifetime for all), so the first is the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, entry);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  /** Forgets everything, e.g. when a key is removed from the ring. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
