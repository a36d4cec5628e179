import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@gatehouse/core';
import { SessionStore } from './session-store.interface.js';
import { SESSIONS_OPTIONS } from './sessions.constants.js';
import type { ResolvedSessionsOptions } from './sessions-options.interface.js';

/**
 * Deletes expired sessions on a timer, in batches of `purgeBatchSize` rows per statement so a
 * large backlog never holds a long lock. Expired rows are already refused by the verifier; this
 * only keeps the table small. Every instance may run it: deleting a row twice is harmless.
 */
@Injectable()
export class SessionPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GatehouseSessions');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(SessionStore) private readonly store: SessionStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(SESSIONS_OPTIONS) private readonly options: ResolvedSessionsOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.purgeIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => {
        this.logger.warn(`Session purge failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, this.options.purgeIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every session expired now, batch by batch; resolves with how many went. */
  purgeExpired(): Promise<number> {
    this.running ??= this.purgeAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async purgeAll(): Promise<number> {
    const now = this.clock.now();
    let total = 0;
    for (;;) {
      const deleted = await this.store.purgeExpired(now, this.options.purgeBatchSize);
      total += deleted;
      if (deleted < this.options.purgeBatchSize) return total;
    }
  }
}
