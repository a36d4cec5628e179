import { GatehouseError } from './gatehouse.error.js';

/**
 * The RateLimit headers of draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` names the
 * policy, its quota `q` and window `w` (seconds); `RateLimit` the remaining quota `r` and the
 * seconds `t` until it resets.
 *
 * @example rateLimitHeaders('user', 1200, 60_000, 1199, 60) // { 'RateLimit-Policy': '"user";q=1200;w=60', RateLimit: '"user";r=1199;t=60' }
 */
export function rateLimitHeaders(policy: string, limit: number, windowMs: number, remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'RateLimit-Policy': `"${policy}";q=${limit};w=${Math.ceil(windowMs / 1000)}`,
    RateLimit: `"${policy}";r=${Math.max(0, remaining)};t=${Math.max(0, resetSeconds)}`,
  };
}

/** The coded 429 for an exhausted policy: `Retry-After` (at least 1 s) and the RateLimit headers. */
export function rateLimitedError(policy: string, limit: number, windowMs: number, retryAfterSeconds: number, cause?: unknown): GatehouseError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  return new GatehouseError('rate_limited', { retryAfter, headers: rateLimitHeaders(policy, limit, windowMs, 0, retryAfter) }, cause === undefined ? undefined : { cause });
}
