import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RefreshFamilies } from './refresh-families.service.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { TOKENS_OPTIONS } from './tokens.constants.js';

/**
 * Purges expired refresh families on an unref'd timer (it never keeps the process alive and needs
 * no `ScheduleModule`). Every instance may run it: deletes are idempotent and batched.
 */
@Injectable()
export class RefreshPurgeScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RefreshPurge');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    private readonly families: RefreshFamilies,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.refreshTokens || this.options.purgeIntervalMs === 0) return;
    this.timer = setInterval(() => void this.run(), this.options.purgeIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One purge pass; overlapping passes are skipped. Returns how many families were deleted. */
  async run(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const deleted = await this.families.purgeExpired();
      if (deleted > 0) this.logger.log(`Purged ${deleted} expired refresh families`);
      return deleted;
    } catch (error) {
      this.logger.warn(`Refresh purge failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
