import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { GatehouseError } from '@gatehouse/core';

/**
 * @nestjs/throttler's guard, answering a limit with gatehouse's coded 429: `Retry-After`
 * (delay-seconds), `Cache-Control: no-store` and RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers), on Express and Fastify.
 */
@Injectable()
export class GatehouseThrottlerGuard extends ThrottlerGuard {
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'rate_limited') {
        const policy = request.throttler.name ?? 'default';
        const window = Math.ceil(request.ttl / 1000);
        error.details.headers = {
          ...error.details.headers,
          'RateLimit-Policy': `"${policy}";q=${request.limit};w=${window}`,
          RateLimit: `"${policy}";r=0;t=${error.details.retryAfter ?? window}`,
        };
      }
      throw error;
    }
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new GatehouseError('rate_limited', { retryAfter: Math.max(1, Math.ceil(detail.timeToBlockExpire)) });
  }
}
