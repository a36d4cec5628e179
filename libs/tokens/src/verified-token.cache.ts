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
  /** Service tokens only: revoked one by one by their client (RFC 7009). */
  readonly tokenKey?: string;
}

/** How many trailing characters (of the signature) index an entry: 144 bits, never shared by two valid tokens. */
const INDEX_LENGTH = 24;

/**
 * Verified access tokens, bounded, oldest evicted first. A hit requires the whole token to equal
 * the cached one (never a hash or a prefix of it, so two tokens can never share an entry — cf.
 * fast-jwt GHSA-rp9m-7r4c-75qg). Entries are indexed by the token's last 24 characters (its
 * signature) because the index is hashed on every request: a fresh 400-character header string
 * costs ~0.8 µs to hash, 24 characters and one string comparison ~0.17 µs. Only verified tokens
 * are stored, so a crafted suffix collision can only miss, never evict or match.
 *
 * A plain `Map` rather than the shared `GatehouseCache`: entries are immutable facts about a
 * signed token (nothing to invalidate across instances: revocation is checked separately on every
 * request), expiry is checked against the injected clock on each hit, and a `Map.get` is the
 * cheapest lookup there is for the hot path.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken & { readonly token: string }>();

  constructor(private readonly maxEntries: number) {}

  get(token: string): VerifiedToken | undefined {
    const entry = this.entries.get(token.slice(-INDEX_LENGTH));
    return entry !== undefined && entry.token === token ? entry : undefined;
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.maxEntries === 0) return;
    const index = token.slice(-INDEX_LENGTH);
    if (this.entries.size >= this.maxEntries && !this.entries.has(index)) {
      // Insertion order is close to expiry order (one lifetime for all), so the first is the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    // One fixed shape for every entry, whatever the verifier passed.
    this.entries.set(index, {
      principal: entry.principal,
      expiresAt: entry.expiresAt,
      issuedAt: entry.issuedAt,
      sessionKey: entry.sessionKey,
      subjectKey: entry.subjectKey,
      tokenKey: entry.tokenKey,
      token,
    });
  }

  delete(token: string): void {
    if (this.get(token)) this.entries.delete(token.slice(-INDEX_LENGTH));
  }

  /** Forgets everything, e.g. when a key is removed from the ring. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
