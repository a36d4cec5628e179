import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Clock } from '@gatehouse/core';
import { API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyStore, type ApiKeyUsageDelta } from './api-key-store.interface.js';

/** Keys written per store call. */
const BATCH_SIZE = 200;

interface PendingUsage {
  count: number;
  lastUsedAt: number;
  network: string | undefined;
  /** When this key's usage was last written (epoch ms); `-Infinity` before the first write. */
  writtenAt: number;
}

/**
 * Write-behind usage: requests only bump counters in memory; a timer writes each key's count and
 * last-used time at most once per `usageWriteIntervalMs`, in one batch, and shutdown writes what
 * is left. A failed write keeps its counts for the next attempt, so a clean stop loses nothing.
 */
@Injectable()
export class ApiKeyUsageRecorder implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  protected readonly logger = new Logger('ApiKeyUsage');
  private readonly pending = new Map<string, PendingUsage>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly options: ResolvedApiKeysOptions,
    @Inject(ApiKeyStore) protected readonly store: ApiKeyStore,
    @Inject(Clock) protected readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (this.options.usageFlushTickMs > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), this.options.usageFlushTickMs);
      this.timer.unref();
    }
  }

  /** Counts one authenticated request; never does I/O. */
  record(id: string, at: number, network: string | undefined): void {
    const entry = this.pending.get(id);
    if (!entry) {
      this.pending.set(id, { count: 1, lastUsedAt: at, network, writtenAt: -Infinity });
      return;
    }
    entry.count++;
    if (at >= entry.lastUsedAt) {
      entry.lastUsedAt = at;
      if (network) entry.network = network;
    }
  }

  /** Requests counted but not yet written, over all keys. */
  get unwritten(): number {
    let total = 0;
    for (const entry of this.pending.values()) total += entry.count;
    return total;
  }

  /**
   * Writes the usage of every key whose last write is at least `usageWriteIntervalMs` old
   * (`force`: of every key). Flushes never overlap.
   */
  flush(force = false): Promise<void> {
    const run = this.flushing.then(() => this.write(force));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush(true).catch(() => undefined);
  }

  /** Requests that finished while the server drained were counted after the first flush. */
  async onApplicationShutdown(): Promise<void> {
    if (this.unwritten > 0) await this.flush(true).catch(() => undefined);
  }

  private async write(force: boolean): Promise<void> {
    const now = this.clock.now();
    const batch: ApiKeyUsageDelta[] = [];
    for (const [id, entry] of this.pending) {
      const due = force || now - entry.writtenAt >= this.options.usageWriteIntervalMs;
      if (!due) continue;
      if (entry.count === 0) {
        // Idle since its last write: forget it, so memory stays bounded by the keys in use.
        this.pending.delete(id);
        continue;
      }
      batch.push({ id, count: entry.count, lastUsedAt: entry.lastUsedAt, network: entry.network });
      entry.count = 0;
      entry.writtenAt = now;
    }
    let failure: unknown;
    for (let start = 0; start < batch.length; start += BATCH_SIZE) {
      const chunk = batch.slice(start, start + BATCH_SIZE);
      try {
        await this.store.recordUsage(chunk);
      } catch (error) {
        // The store applies a chunk entirely or not at all: keep the counts for the next attempt.
        for (const delta of chunk) this.restore(delta);
        this.logger.error(`Writing usage of ${chunk.length} API key(s) failed; will retry: ${(error as Error).message}`);
        failure ??= error;
      }
    }
    if (failure) throw failure as Error;
  }

  private restore(delta: ApiKeyUsageDelta): void {
    const entry = this.pending.get(delta.id);
    if (!entry) {
      this.pending.set(delta.id, { ...delta, writtenAt: -Infinity });
      return;
    }
    entry.count += delta.count;
    entry.writtenAt = -Infinity;
    if (delta.lastUsedAt > entry.lastUsedAt) {
      entry.lastUsedAt = delta.lastUsedAt;
      entry.network = delta.network ?? entry.network;
    }
  }
}
