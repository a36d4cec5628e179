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

  override async invalidate(key: string): Promise<void> {
    this.drop(key);
    await this.bus.publish({ type: 'invalidate', key });
  }

  override async isReady(): Promise<boolean> {
    return this.bus.ping();
  }
}
