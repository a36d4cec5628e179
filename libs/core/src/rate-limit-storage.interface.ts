import type { ThrottlerStorage } from '@nestjs/throttler';

/** What one `increment` reports (the shape of @nestjs/throttler's record; times in seconds). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Where every counter that limits or detects is kept: @nestjs/throttler's storage interface, so
 * any throttler storage (Redis, memory, your own) plugs in. `increment` counts one hit in a
 * window of `ttl` ms and reports `isBlocked` once the hits pass `limit`, for `blockDuration` ms.
 * gatehouse's keys are namespaced by purpose (`rl:api-key:…`, `rl:sign-in-account:…`, …).
 *
 * The default is in memory, per instance; with `redisUrl` it is Redis (global), falling back to
 * memory while Redis is unreachable.
 */
export type RateLimitStorage = ThrottlerStorage;

/** Injection token of the `RateLimitStorage` port. */
export const RateLimitStorage = Symbol('gatehouse:RateLimitStorage');
