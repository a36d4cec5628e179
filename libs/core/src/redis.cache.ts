import { Logger } from '@nestjs/common';
import { MemoryCache } from './memory.cache.js';
import type { RedisBus } from './redis.bus.js';

/**
 * A per-instance LRU whose invalidations are broadcast through Redis, so revoking a credential on
 * one instance drops it from every instance's cache. Reads never touch the network.
 */
export class RedisCache extends MemoryCache {
  constructor(
    private readonly bus: RedisBus,
    maxEntries?: number,
  ) {
    super(maxEntries);
    bus.onMessage((message) => {
      if (message.type === 'invalidate') this.drop(message.key);
    });
    // Invalidations may have been missed while disconnected: start afresh.
    bus.onReconnect(() => this.entries.clear());
  }

  private readonly logger = new Logger('GatehouseRedis');

  /**
   * Best effort while Redis is down: a credential that must stop working everywhere is also in
   * the revocation list, which every instance checks on cache hits and reads from the database.
   */
  override async invalidate(key: string): Promise<void> {
    this.drop(key);
    if (!this.bus.isLive()) return;
    await this.bus.publish({ type: 'invalidate', key }).catch((error: unknown) => {
      this.logger.warn(`Cache invalidation not broadcast: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  override async isReady(): Promise<boolean> {
    return this.bus.ping();
  }
}
