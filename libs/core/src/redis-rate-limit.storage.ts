import type { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { MemoryRateLimitStorage } from './memory-rate-limit.storage.js';
import type { RateLimitRedis } from './rate-limit-redis.js';
import type { RateLimitStorage, ThrottlerStorageRecord } from './rate-limit-storage.interface.js';

/**
 * Counters in Redis through `@nest-lab/throttler-storage-redis` (one Lua script per hit, so every
 * instance shares one count), falling back to per-instance memory while Redis is unreachable: a
 * limit then holds per instance, and no request fails because Redis did.
 */
export class RedisRateLimitStorage implements RateLimitStorage {
  /** Loads `@nest-lab/throttler-storage-redis` (and so ioredis) only when Redis is configured. */
  static async create(redis: RateLimitRedis, memory: MemoryRateLimitStorage): Promise<RedisRateLimitStorage> {
    const { ThrottlerStorageRedisService } = await import('@nest-lab/throttler-storage-redis');
    return new RedisRateLimitStorage(redis, memory, new ThrottlerStorageRedisService(redis.client));
  }

  constructor(
    private readonly redis: RateLimitRedis,
    /** The per-instance counters used while Redis is unreachable, and for counts that must cost no I/O. */
    readonly memory: MemoryRateLimitStorage,
    private readonly redisStorage: ThrottlerStorageRedisService,
  ) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return this.redis.run(
      () => this.redisStorage.increment(`${this.redis.prefix}${key}`, ttl, limit, blockDuration, throttlerName),
      () => this.memory.increment(key, ttl, limit, blockDuration, throttlerName),
    );
  }
}
