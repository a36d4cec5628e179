import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerOptions, type ThrottlerRequest } from '@nestjs/throttler';
import { ClientAddresses } from './client-addresses.js';
import { GATEHOUSE_RATE_LIMITS } from './gatehouse.constants.js';
import { httpRequestOf, type GatehouseRequest } from './gatehouse-request.interface.js';
import type { ResolvedRateLimitOptions } from './rate-limit-options.interface.js';
import { rateLimitBucketOf } from './rate-limit-bucket.js';
import { rateLimitedError, rateLimitHeaders } from './rate-limit-headers.js';
import { RateLimitStorage } from './rate-limit-storage.interface.js';

const principalOf = (context: ExecutionContext) => httpRequestOf<GatehouseRequest>(context).principal;

/**
 * @nestjs/throttler's guard with gatehouse's buckets: it runs after `GatehouseGuard`, so each
 * request counts against its principal (`rateLimitBucketOf`: an API key with its service tokens,
 * a user across tokens and sessions) or, without one, against its client address (IPv6: /64).
 * One bucket per principal for every route. Every counted answer carries `RateLimit` and
 * `RateLimit-Policy`; a spent bucket is 429 `rate_limited` with `Retry-After`.
 *
 * Per-route overrides work as in @nestjs/throttler, by throttler name: `@SkipThrottle({ user: true })`,
 * `@Throttle({ 'api-key': { limit: 10, ttl: 60_000 } })`.
 */
@Injectable()
export class GatehouseThrottlerGuard extends ThrottlerGuard {
  constructor(
    @Inject(GATEHOUSE_RATE_LIMITS) protected readonly limits: ResolvedRateLimitOptions,
    @Inject(RateLimitStorage) storage: RateLimitStorage,
    reflector: Reflector,
    protected readonly addresses: ClientAddresses,
  ) {
    super({ throttlers: gatehouseThrottlers(limits, addresses), setHeaders: false }, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limits.enabled || context.getType() !== 'http') return true;
    return super.canActivate(context);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, throttler, getTracker, generateKey } = request;
    const { req, res } = this.getRequestResponse(context);
    const name = throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(req, context), name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    if (record.isBlocked) throw rateLimitedError(name, limit, ttl, record.timeToBlockExpire);
    for (const [header, value] of Object.entries(rateLimitHeaders(name, limit, ttl, limit - record.totalHits, record.timeToExpire))) {
      this.setResponseHeader(res, header, value);
    }
    return true;
  }
}

/** The three principal throttlers; at most one applies to a request. */
function gatehouseThrottlers(limits: ResolvedRateLimitOptions, addresses: ClientAddresses): ThrottlerOptions[] {
  const generateKey = (_context: ExecutionContext, tracker: string, name: string) => `rl:${name}:${tracker}`;
  const bucket = (request: Record<string, unknown>) => {
    const principal = (request as unknown as GatehouseRequest).principal;
    return principal ? rateLimitBucketOf(principal).key : '';
  };
  return [
    {
      name: 'api-key',
      limit: limits.apiKey.limit,
      ttl: limits.apiKey.ttlMs,
      skipIf: (context) => {
        const principal = principalOf(context);
        return !principal || rateLimitBucketOf(principal).policy === 'user';
      },
      getTracker: bucket,
      generateKey,
    },
    {
      name: 'user',
      limit: limits.user.limit,
      ttl: limits.user.ttlMs,
      skipIf: (context) => principalOf(context)?.kind !== 'user',
      getTracker: bucket,
      generateKey,
    },
    {
      name: 'anonymous',
      limit: limits.anonymous.limit,
      ttl: limits.anonymous.ttlMs,
      skipIf: (context) => principalOf(context) !== undefined,
      getTracker: (request) => addresses.bucketOf(request as unknown as GatehouseRequest),
      generateKey,
    },
  ];
}
