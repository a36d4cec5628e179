import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes in base64url without padding: 43 characters. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const CSRF_LABEL = 'gatehouse/csrf-token/v1';

/** A new 256-bit session secret from the CSPRNG, for the cookie. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** True when `value` has the shape of a session secret (checked before any lookup). */
export function isSessionSecret(value: string): boolean {
  return SECRET_FORMAT.test(value);
}

/**
 * The stored form of a session secret: hex SHA-256 (a 256-bit random secret needs no slow hash).
 * One-shot `crypto.hash` is about three times faster than `createHash` on this hot path.
 */
export function hashSessionSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/**
 * The session's synchronizer token: HMAC-SHA256 keyed by the session secret itself. It is stable
 * for the session's life (every tab gets the same one), different for every session, changes on
 * rotation, reveals nothing about the cookie and needs no storage.
 */
export function deriveCsrfToken(secret: string): string {
  return createHmac('sha256', secret).update(CSRF_LABEL).digest('base64url');
}

/** Constant-time comparison of a presented CSRF token with the session's, on equal-length digests. */
export function csrfTokenMatches(secret: string, presented: string): boolean {
  const expected = hash('sha256', deriveCsrfToken(secret), 'buffer');
  const actual = hash('sha256', presented, 'buffer');
  return timingSafeEqual(expected, actual);
}
