import type { Clock } from './clock.js';
import { MemoryRevocationStore } from './memory-revocation.store.js';
import type { RedisBus } from './redis.bus.js';

/**
 * Revocations kept in Redis (keys with a TTL, so they outlive any one instance) and mirrored in
 * memory on every instance: checks stay synchronous; new revocations arrive by pub/sub, and the
 * mirror reloads from Redis at start and after a reconnect.
 */
export class RedisRevocationStore extends MemoryRevocationStore {
  constructor(
    private readonly bus: RedisBus,
    maxEntries?: number,
    clock?: Clock,
  ) {
    super(maxEntries, clock);
    bus.onMessage((message) => {
      if (message.type === 'revoke') this.remember(message.key, message.revokedAt, message.ttlMs);
    });
    bus.onReconnect(() => void this.load().catch(() => undefined));
  }

  private get keyPrefix(): string {
    return `${this.bus.prefix}revoked:`;
  }

  override async revoke(key: string, revokedAt: number, ttlMs: number): Promise<void> {
    this.remember(key, revokedAt, ttlMs);
    if (ttlMs <= 0) return;
    const redisKey = this.keyPrefix + key;
    // Keep the latest revocation time if two instances revoke the same key.
    const current = Number(await this.bus.client.get(redisKey)) || 0;
    await this.bus.client.set(redisKey, String(Math.max(current, revokedAt)), 'PX', Math.ceil(ttlMs));
    await this.bus.publish({ type: 'revoke', key, revokedAt, ttlMs });
  }

  /** Loads every live revocation from Redis into the local mirror. */
  async load(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.bus.client.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = this.bus.client.pipeline();
      for (const key of keys) pipeline.get(key).pttl(key);
      const replies = (await pipeline.exec()) ?? [];
      keys.forEach((key, index) => {
        const value = Number(replies[index * 2]?.[1]);
        const ttl = Number(replies[index * 2 + 1]?.[1]);
        if (value > 0 && ttl > 0) this.remember(key.slice(this.keyPrefix.length), value, ttl);
      });
    } while (cursor !== '0');
  }
}
