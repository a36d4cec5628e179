import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { AuthFailureBudget } from './auth-failure.budget.js';
import { ClientAddresses } from './client-addresses.js';
import { Clock } from './clock.js';
import { GATEHOUSE_OPTIONS, GATEHOUSE_RATE_LIMITS, GATEHOUSE_THROTTLER_GUARD } from './gatehouse.constants.js';
import { GatehouseThrottlerGuard } from './gatehouse-throttler.guard.js';
import { GATEHOUSE_MODULE_OPTIONS } from './gatehouse.module-definition.js';
import type { GatehouseModuleOptions, ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { KnownAddresses } from './known-addresses.interface.js';
import { MemoryKnownAddresses, RedisKnownAddresses } from './known-addresses.js';
import { MemoryRateLimitStorage } from './memory-rate-limit.storage.js';
import { resolveRateLimitOptions, type ResolvedRateLimitOptions } from './rate-limit-options.interface.js';
import { RateLimitRedis } from './rate-limit-redis.js';
import { RateLimitStorage } from './rate-limit-storage.interface.js';
import { RedisRateLimitStorage } from './redis-rate-limit.storage.js';
import { SecurityEvents } from './security-events.js';
import { SignInThrottle } from './sign-in.throttle.js';

/** Injection token of the counters' own Redis connection (`RateLimitRedis`), or null without Redis. */
export const GATEHOUSE_RATE_LIMIT_REDIS = Symbol('gatehouse:rate-limit-redis');

/** Closes the counters' Redis connection after the HTTP server stopped taking requests. */
class RateLimitRedisLifecycle implements OnApplicationShutdown {
  constructor(private readonly redis: RateLimitRedis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}

/** The counters (one storage for every limit and detector), sign-in throttling, the failure budget and the throttler guard. */
export const rateLimitProviders: Provider[] = [
  {
    provide: GATEHOUSE_RATE_LIMITS,
    inject: [GATEHOUSE_MODULE_OPTIONS],
    useFactory: (options: GatehouseModuleOptions) => resolveRateLimitOptions(options.rateLimits),
  },
  {
    provide: GATEHOUSE_RATE_LIMIT_REDIS,
    inject: [GATEHOUSE_MODULE_OPTIONS, GATEHOUSE_OPTIONS, GATEHOUSE_RATE_LIMITS, SecurityEvents],
    useFactory: async (options: GatehouseModuleOptions, resolved: ResolvedGatehouseOptions, limits: ResolvedRateLimitOptions, events: SecurityEvents) => {
      if (!options.redisUrl || options.rateLimits === false || options.rateLimits?.storage) return null;
      const redis = await RateLimitRedis.create(options.redisUrl, resolved.redisKeyPrefix, limits.redisTimeoutMs, events);
      await redis.connect();
      return redis;
    },
  },
  {
    provide: RateLimitRedisLifecycle,
    inject: [GATEHOUSE_RATE_LIMIT_REDIS],
    useFactory: (redis: RateLimitRedis | null) => new RateLimitRedisLifecycle(redis),
  },
  {
    provide: RateLimitStorage,
    inject: [GATEHOUSE_MODULE_OPTIONS, GATEHOUSE_RATE_LIMITS, GATEHOUSE_RATE_LIMIT_REDIS, Clock],
    useFactory: async (options: GatehouseModuleOptions, limits: ResolvedRateLimitOptions, redis: RateLimitRedis | null, clock: Clock) => {
      if (options.rateLimits && options.rateLimits.storage) return options.rateLimits.storage;
      const memory = new MemoryRateLimitStorage(clock, limits.memoryMaxEntries);
      return redis ? RedisRateLimitStorage.create(redis, memory) : memory;
    },
  },
  {
    provide: KnownAddresses,
    inject: [GATEHOUSE_RATE_LIMITS, GATEHOUSE_RATE_LIMIT_REDIS, Clock],
    useFactory: (limits: ResolvedRateLimitOptions, redis: RateLimitRedis | null, clock: Clock) => {
      const memory = new MemoryKnownAddresses(clock, limits.memoryMaxEntries);
      return redis ? new RedisKnownAddresses(redis, memory) : memory;
    },
  },
  {
    provide: ClientAddresses,
    inject: [GATEHOUSE_MODULE_OPTIONS],
    useFactory: (options: GatehouseModuleOptions) => new ClientAddresses(options.trustProxy),
  },
  SignInThrottle,
  AuthFailureBudget,
  GatehouseThrottlerGuard,
  { provide: GATEHOUSE_THROTTLER_GUARD, useExisting: GatehouseThrottlerGuard },
];

/** What the rate-limit providers export to the other libraries and the app. */
export const rateLimitExports = [GATEHOUSE_RATE_LIMITS, GATEHOUSE_RATE_LIMIT_REDIS, RateLimitStorage, KnownAddresses, ClientAddresses, SignInThrottle, AuthFailureBudget];
