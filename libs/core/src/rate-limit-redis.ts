import { Logger } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import type { SecurityEvents } from './security-events.js';

/**
 * The Redis connection the counters use, and what happens when it fails. Commands never queue
 * while Redis is away and time out after `timeoutMs`, so a request waits at most that long; the
 * caller then counts in memory. The first failure logs a warning and emits `rate_limit.degraded`,
 * the first success afterwards `rate_limit.recovered`. `degraded` and `fallbackCount` are
 * readable as metrics. A stalled Redis costs one request per second the timeout, not every request.
 */
export class RateLimitRedis {
  readonly client: Redis;
  private failing = false;
  private fallbacks = 0;
  /** While degraded, Redis is tried again at most once per second; the other calls count in memory without waiting. */
  private nextProbeAt = 0;
  private readonly logger = new Logger('GatehouseRateLimits');

  /** Loads ioredis (an optional peer) only now, when a `redisUrl` is configured. */
  static async create(url: string, prefix: string, timeoutMs: number, events: SecurityEvents): Promise<RateLimitRedis> {
    const { Redis: RedisClient } = await import('ioredis');
    return new RateLimitRedis((options) => new RedisClient(url, options), prefix, timeoutMs, events);
  }

  constructor(
    connect: (options: RedisOptions) => Redis,
    readonly prefix: string,
    timeoutMs: number,
    private readonly events: SecurityEvents,
  ) {
    this.client = connect({
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(timeoutMs, 1_000),
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    // Reconnects are ioredis' job; the outage itself is reported once, by run().
    this.client.on('error', () => undefined);
  }

  /** Connects if Redis is there; an instance that starts during an outage counts in memory until it returns. */
  async connect(): Promise<void> {
    try {
      await this.client.connect();
    } catch {
      this.degrade(new Error('Redis unreachable at start-up'));
    }
  }

  /** True while counters are kept in memory because Redis is unreachable. */
  get degraded(): boolean {
    return this.failing;
  }

  /** How many counter operations fell back to memory since start. */
  get fallbackCount(): number {
    return this.fallbacks;
  }

  /** Runs `operation` on Redis, or `fallback` when Redis is not ready, errs or is too slow. */
  async run<T>(operation: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.client.status !== 'ready' || (this.failing && Date.now() < this.nextProbeAt)) {
      if (!this.failing) this.degrade(new Error(`Redis connection is ${this.client.status}`));
      this.fallbacks++;
      return fallback();
    }
    try {
      const result = await operation(this.client);
      if (this.failing) this.recover();
      return result;
    } catch (error) {
      this.degrade(error);
      this.fallbacks++;
      return fallback();
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private degrade(error: unknown): void {
    this.nextProbeAt = Date.now() + 1_000;
    if (this.failing) return;
    this.failing = true;
    const reason = error instanceof Error ? error.name === 'Error' ? error.message : error.name : 'unknown';
    this.logger.warn(`Rate-limit counters unreachable in Redis (${reason}): counting per instance, in memory, until it returns`);
    this.events.emit('rate_limit.degraded', { reason });
  }

  private recover(): void {
    this.failing = false;
    this.logger.log('Rate-limit counters are back in Redis');
    this.events.emit('rate_limit.recovered');
  }
}
