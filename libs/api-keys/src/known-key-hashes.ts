/** How many trailing characters (checksum and the end of the secret) index an entry. */
const INDEX_LENGTH = 12;

/**
 * The SHA-256 of keys this instance has already accepted, so a repeated key is hashed once, not
 * on every request. A hit requires the whole presented key to equal the remembered one (never a
 * prefix, suffix or fingerprint of it); entries are indexed by the key's last 12 characters because
 * the index string is hashed by the `Map` on every lookup, and a short one costs less. Bounded,
 * oldest first. Only keys that verified are remembered, so presenting garbage fills nothing.
 *
 * The hash of a key never changes, so nothing here needs invalidating: whether the key is still
 * valid is decided by the shared cache and the revocation list, keyed by the hash, on every call.
 */
export class KnownKeyHashes {
  private readonly entries = new Map<string, { readonly key: string; readonly hash: string }>();

  constructor(private readonly maxEntries: number) {}

  /** The remembered hash of exactly `key`, if any. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key.slice(-INDEX_LENGTH));
    return entry !== undefined && entry.key === key ? entry.hash : undefined;
  }

  remember(key: string, hash: string): void {
    if (this.maxEntries === 0) return;
    const index = key.slice(-INDEX_LENGTH);
    if (this.entries.size >= this.maxEntries && !this.entries.has(index)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(index, { key, hash });
  }

  get size(): number {
    return this.entries.size;
  }
}
