import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** A message between instances. */
export type BusMessage =
  | { type: 'invalidate'; key: string }
  | { type: 'revoke'; key: string; revokedAt: number; ttlMs: number };

/**
 * One command connection and one subscriber connection to Redis, shared by the Redis cache and
 * revocation store. Messages carry the sender's id so an instance ignores its own.
 */
export class RedisBus {
  readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly instanceId = randomUUID();
  private readonly listeners = new Set<(message: BusMessage) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly logger = new Logger('GatehouseRedis');

  constructor(
    url: string,
    readonly prefix = 'gatehouse:',
  ) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true } as const;
    this.client = new Redis(url, options);
    this.subscriber = new Redis(url, options);
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
    await Promise.allSettled([this.subscriber.quit(), this.client.quit()]);
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
