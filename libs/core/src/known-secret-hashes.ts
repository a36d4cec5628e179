/** A secret this instance accepted before, as remembered. */
export interface KnownSecret {
  readonly secret: string;
  /** Its stored form (SHA-256). */
  readonly hash: string;
  /** The caller's cache key for it: the prefix given to the constructor, then the hash. */
  readonly cacheKey: string;
}

/** How many trailing characters of a secret index an entry. */
const INDEX_LENGTH = 12;

/**
 * The stored-form hashes (SHA-256) of high-entropy secrets this instance has already accepted —
 * API keys, session secrets — so a repeated secret is hashed once, not on every request. A hit
 * requires the whole presented secret to equal the remembered one (never a prefix, suffix or
 * fingerprint of it); entries are indexed by the secret's last 12 characters because the `Map`
 * hashes its index string on every lookup, and a short one costs less. Bounded, oldest first.
 * Callers remember only secrets that verified, so presenting garbage fills nothing.
 *
 * The hash of a secret never changes, so nothing here needs invalidating: whether it is still
 * valid is decided by the caller's cache and revocation checks, keyed by the hash, on every call.
 * The secrets stay in this process's memory while remembered, as they do in its caches of
 * verified tokens; `maxEntries: 0` turns this off.
 */
export class KnownSecretHashes {
  private readonly entries = new Map<string, KnownSecret>();

  /**
   * @param cacheKeyPrefix what the caller's cache keys put before the hash: each remembered secret
   * keeps its key as one string, so a lookup by it neither concatenates nor hashes a new string.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly cacheKeyPrefix = '',
  ) {}

  /** The remembered hash of exactly `secret`, if any. */
  get(secret: string): string | undefined {
    return this.lookup(secret)?.hash;
  }

  /** What is remembered about exactly `secret`: its hash and its cache key, if any. */
  lookup(secret: string): KnownSecret | undefined {
    const entry = this.entries.get(secret.slice(-INDEX_LENGTH));
    return entry !== undefined && entry.secret === secret ? entry : undefined;
  }

  /** Remembers the hash of a secret that verified; returns the entry (also when `maxEntries` is 0). */
  remember(secret: string, hash: string): KnownSecret {
    const entry: KnownSecret = { secret, hash, cacheKey: this.cacheKeyPrefix + hash };
    if (this.maxEntries === 0) return entry;
    const index = secret.slice(-INDEX_LENGTH);
    if (this.entries.size >= this.maxEntries && !this.entries.has(index)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(index, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
