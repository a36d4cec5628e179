/**
 * A short memory of session-id hashes the database did not know, so a flood of random cookies
 * costs one query per distinct value per `ttlMs`, not one per request. Bounded: when full, the
 * oldest entry goes (forgetting one only costs a query; it never lets a credential in).
 */
export class UnknownSessions {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** True when `hash` was looked up and not found less than `ttlMs` ago. */
  has(hash: string, now: number): boolean {
    const until = this.seen.get(hash);
    if (until === undefined) return false;
    if (until > now) return true;
    this.seen.delete(hash);
    return false;
  }

  remember(hash: string, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.set(hash, now + this.ttlMs);
  }
}
