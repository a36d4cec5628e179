/**
 * Revocations that must hold until the credentials they name would have expired anyway:
 * revoked refresh families and sessions (`sid:<id>`), and "every token of this subject issued
 * before T" (`sub:<subject>`). Checks are synchronous against a local mirror; `revoke` reaches
 * every instance sharing the same Redis within milliseconds.
 */
export interface RevocationStore {
  /** Records `key` as revoked at `revokedAt` (epoch ms) for `ttlMs`. */
  revoke(key: string, revokedAt: number, ttlMs: number): Promise<void>;
  /** When `key` was revoked (epoch ms), or undefined when it is not revoked. */
  revokedAt(key: string): number | undefined;
}

/** Injection token of the `RevocationStore` port. */
export const RevocationStore = Symbol('gatehouse:RevocationStore');
