import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { GatehouseConfigurationError } from './configuration-error.js';
import { GATEHOUSE_DEFAULTS } from './gatehouse-options.interface.js';

/** A message between instances. */
export type BusMessage =
  | { type: 'invalidate'; key: string }
  | { type: 'revoke'; key: string; revokedAt: number; ttlMs: number };

/**
 * One command connection and one subscriber connection to Redis, shared by the Redis cache and
 * revocation store. Messages carry the sender's id so an instance ignores its own. ioredis is an
 * optional peer dependency, loaded only here, when a `redisUrl` is configured.
 *
 * @example const bus = await RedisBus.create('redis://127.0.0.1:6379', 'gatehouse:'); await bus.connect();
 */
export class RedisBus {
  readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly instanceId = randomUUID();
  private readonly listeners = new Set<(message: BusMessage) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly logger = new Logger('GatehouseRedis');

  /** Loads ioredis (an optional peer dependency) and opens nothing yet: call `connect()`. */
  static async create(url: string, prefix?: string): Promise<RedisBus> {
    let RedisClient: typeof Redis;
    try {
      ({ Redis: RedisClient } = await import('ioredis'));
    } catch (error) {
      throw new GatehouseConfigurationError('GatehouseModule', 'redisUrl', 'is set but the optional dependency ioredis is not installed (npm install ioredis)', { cause: error });
    }
    // No offline queue: while Redis is down a command fails at once instead of waiting; callers
    // that can do without Redis (publishing, health) carry on, and nothing hangs.
    const options: RedisOptions = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
    return new RedisBus(new RedisClient(url, options), new RedisClient(url, options), prefix);
  }

  constructor(
    client: Redis,
    subscriber: Redis,
    readonly prefix = GATEHOUSE_DEFAULTS.redisKeyPrefix,
  ) {
    this.client = client;
    this.subscriber = subscriber;
    for (const connection of [this.client, this.subscriber]) {
      // Connection errors are retried by ioredis; log without the URL (it may hold a password).
      connection.on('error', (error: Error) => this.logger.warn(`Redis connection error: ${error.message}`));
    }
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    let readyOnce = false;
    this.subscriber.on('ready', () => {
      // After a reconnect, messages sent while we were away are lost: let listeners resynchronise.
      if (readyOnce) for (const listener of this.reconnectListeners) listener();
      readyOnce = true;
    });
  }

  get channel(): string {
    return `${this.prefix}bus`;
  }

  /** True while both connections are up, so pub/sub messages from other instances arrive. */
  isLive(): boolean {
    return this.client.status === 'ready' && this.subscriber.status === 'ready';
  }

  async connect(): Promise<void> {
    await Promise.all([this.client.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.channel);
  }

  onMessage(listener: (message: BusMessage) => void): void {
    this.listeners.add(listener);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  async publish(message: BusMessage): Promise<void> {
    await this.client.publish(this.channel, JSON.stringify({ from: this.instanceId, ...message }));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // quit() waits for a reply that never comes while Redis is down: disconnect() instead.
    await Promise.allSettled(
      [this.subscriber, this.client].map((connection) => (connection.status === 'ready' ? connection.quit() : Promise.resolve(connection.disconnect()))),
    );
  }

  private receive(raw: string): void {
    let message: BusMessage & { from?: string };
    try {
      message = JSON.parse(raw) as BusMessage & { from?: string };
    } catch {
      return;
    }
    if (message.from === this.instanceId) return;
    for (const listener of this.listeners) listener(message);
  }
}
