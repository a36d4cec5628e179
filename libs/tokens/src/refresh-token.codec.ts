import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url without padding: always 43 characters. */
const REFRESH_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const SUCCESSOR_CONTEXT = 'gatehouse refresh successor v1\0';

/** A new opaque refresh token: 256 bits from the CSPRNG (ASVS v5.0.0 7.2.3 asks ≥ 128). */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new refresh-family id: 128 random bits. Not secret (it is the tokens' `sid`), but unguessable. */
export function generateFamilyId(): string {
  return randomBytes(16).toString('base64url');
}

/** True when `value` has the refresh-token shape, checked before any database lookup. */
export function isRefreshTokenFormat(value: unknown): value is string {
  return typeof value === 'string' && REFRESH_TOKEN_FORMAT.test(value);
}

/** SHA-256 of a token, lower-case hex: all the database ever holds (a 256-bit secret needs no slow hash). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The successor of `token`: HMAC-SHA256 under the server's refresh secret. Deterministic, so a
 * duplicate presented within the leeway is answered with the same successor without ever storing
 * it; unpredictable without the secret, and unrelated to anything the database holds.
 */
export function deriveSuccessor(secret: Buffer, token: string): string {
  return createHmac('sha256', secret).update(SUCCESSOR_CONTEXT).update(token, 'utf8').digest('base64url');
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
