import { Module, type DynamicModule, type ExecutionContext, type OnModuleDestroy, Inject, Optional } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Redis } from 'ioredis';
import { SIGN_IN_ROUTE_KEY, type GatehouseRequest } from '@gatehouse/core';
import { SIGN_IN_ROUTE } from '@gatehouse/tokens';
import type { DemoConfig } from '../config/demo.config.js';
import { apiKeyThrottlers } from './api-key-throttlers.js';
import { GatehouseThrottlerGuard } from './gatehouse-throttler.guard.js';
import { LOGIN_RATE_LIMIT_KEY } from './login-rate-limit.decorator.js';

const THROTTLER_REDIS = Symbol('demo:throttler-redis');

const isLoginRoute = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(LOGIN_RATE_LIMIT_KEY, context.getHandler()) === true ||
  Reflect.getMetadata(SIGN_IN_ROUTE, context.getHandler()) === true ||
  Reflect.getMetadata(SIGN_IN_ROUTE_KEY, context.getHandler()) === true;

/** The account a login attempt names (lower-cased email), or the IP when the body names none. */
const loginAccount = (request: GatehouseRequest & { body?: unknown }): string => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? `account:${email.trim().toLowerCase()}` : `ip:${request.ip ?? ''}`;
};

/** The throttlers the demo runs, from its configuration. Other modules add theirs through `extraThrottlers`. */
export function demoThrottlers(config: DemoConfig): ThrottlerOptions[] {
  return [
    {
      name: 'login-account',
      limit: config.loginRateLimitAccount.limit,
      ttl: config.loginRateLimitAccount.ttlSeconds * 1000,
      skipIf: (context) => !isLoginRoute(context),
      getTracker: (request) => loginAccount(request as GatehouseRequest),
    },
    {
      name: 'login-ip',
      limit: config.loginRateLimitIp.limit,
      ttl: config.loginRateLimitIp.ttlSeconds * 1000,
      skipIf: (context) => !isLoginRoute(context),
      getTracker: (request) => `ip:${(request as GatehouseRequest).ip ?? ''}`,
    },
  ];
}

/**
 * Rate limits through @nestjs/throttler, counted in Redis when `REDIS_URL` is set so that limits
 * hold across instances. With `GATEHOUSE_RATE_LIMITS=off` no throttler guard is registered at all.
 */
@Module({})
export class RateLimitsModule implements OnModuleDestroy {
  constructor(@Optional() @Inject(THROTTLER_REDIS) private readonly redis?: Redis | null) {}

  static forRoot(config: DemoConfig, extraThrottlers: ThrottlerOptions[] = []): DynamicModule {
    if (!config.rateLimitsEnabled) return { module: RateLimitsModule };
    const redis = config.redisUrl
      ? new Redis(config.redisUrl, { keyPrefix: `${config.redisKeyPrefix}throttle:`, maxRetriesPerRequest: 2 })
      : null;
    return {
      module: RateLimitsModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [...demoThrottlers(config), ...apiKeyThrottlers(config), ...extraThrottlers],
          setHeaders: false,
          ...(redis ? { storage: new ThrottlerStorageRedisService(redis) } : {}),
        }),
      ],
      providers: [{ provide: THROTTLER_REDIS, useValue: redis }, { provide: APP_GUARD, useClass: GatehouseThrottlerGuard }],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
