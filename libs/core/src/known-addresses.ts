import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';
import type { KnownAddresses } from './known-addresses.interface.js';
import type { RateLimitRedis } from './rate-limit-redis.js';

/** Known sign-in addresses in memory, per instance, bounded (least recently used go first). */
export class MemoryKnownAddresses implements KnownAddresses {
  private readonly entries: LRUCache<string, number>;

  constructor(
    private readonly clock: Clock,
    maxEntries = 100_000,
  ) {
    this.entries = new LRUCache<string, number>({ max: maxEntries });
  }

  has(account: string, address: string): Promise<boolean> {
    const until = this.entries.get(`${account} ${address}`);
    return Promise.resolve(until !== undefined && until > this.clock.now());
  }

  remember(account: string, address: string, ttlMs: number): Promise<void> {
    this.entries.set(`${account} ${address}`, this.clock.now() + ttlMs);
    return Promise.resolve();
  }
}

/**
 * Known sign-in addresses in Redis (`<prefix>known:<account>:<address>` with an expiry), shared by
 * every instance. Written to memory as well, so an instance that loses Redis still knows the
 * addresses it saw sign in.
 */
export class RedisKnownAddresses implements KnownAddresses {
  constructor(
    private readonly redis: RateLimitRedis,
    private readonly memory: MemoryKnownAddresses,
  ) {}

  has(account: string, address: string): Promise<boolean> {
    return this.redis.run(
      async (client) => (await client.exists(this.key(account, address))) === 1 || (await this.memory.has(account, address)),
      () => this.memory.has(account, address),
    );
  }

  async remember(account: string, address: string, ttlMs: number): Promise<void> {
    await this.memory.remember(account, address, ttlMs);
    await this.redis.run(
      async (client) => {
        await client.set(this.key(account, address), '1', 'PX', Math.ceil(ttlMs));
      },
      () => undefined,
    );
  }

  private key(account: string, address: string): string {
    return `${this.redis.prefix}known:${account}:${address}`;
  }
}
