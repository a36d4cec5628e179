import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from './clock.js';
import { GatehouseError } from './gatehouse.error.js';
import { MemoryRevocationStore } from './memory-revocation.store.js';
import type { RedisBus } from './redis.bus.js';
import { RevocationRecord } from './revocation.entity.js';
import { serializeWrite } from './write-queue.js';

/** How the durable store keeps its mirror current; see `GatehouseModuleOptions` for each default. */
export interface RevocationFeedOptions {
  maxEntries: number;
  /** Milliseconds between database polls for revocations made elsewhere. */
  pollIntervalMs: number;
  /** Once the mirror cannot vouch for revocations newer than this (ms), checks refuse with 503. `Infinity` never refuses. */
  maxStalenessMs: number;
  /** How far back each poll re-reads (ms), for slow commits and clock skew between instances. */
  pollOverlapMs: number;
}

/** What an operator (or `/health`) can read about the revocation feed. */
export interface RevocationFeedStatus {
  /** True while checks are served: Redis pub/sub is live or the last poll is recent enough. */
  fresh: boolean;
  /** Whether revocations from other instances arrive by Redis pub/sub right now. */
  redis: 'live' | 'down' | 'none';
  /** Milliseconds since the last successful database poll (or load). */
  lastPollAgeMs: number;
}

/** How often expired rows are deleted from the table. */
const PURGE_EVERY_MS = 5 * 60_000;

/**
 * Revocations with the database as source of truth. `revoke` writes the row (an upsert that
 * keeps the latest time) before it answers, mirrors it locally, then tells other instances by
 * Redis pub/sub when Redis is there; a Redis failure never fails the revocation. Every instance
 * loads what is in force at start (and after a Redis reconnect) and polls the indexed
 * `revoked_at` every `pollIntervalMs`, so revocations arrive within a poll even without Redis.
 *
 * Checks stay synchronous against the mirror. While neither Redis pub/sub nor a recent poll
 * can vouch for the mirror (older than `maxStalenessMs`), every check refuses with 503
 * `service_unavailable` rather than accept a credential that may have been revoked meanwhile.
 */
export class DurableRevocationStore extends MemoryRevocationStore {
  private readonly logger = new Logger('GatehouseRevocations');
  private vouchedAt: number;
  private cursor: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastPurge = 0;
  private pollFailing = false;

  constructor(
    private readonly dataSource: DataSource,
    clock: Clock,
    private readonly options: RevocationFeedOptions,
    private readonly bus: RedisBus | null = null,
  ) {
    super(options.maxEntries, clock);
    this.vouchedAt = clock.now();
    bus?.onMessage((message) => {
      if (message.type === 'revoke') this.remember(message.key, message.revokedAt, message.ttlMs);
    });
    // Messages sent while we were away are lost: read what we missed at once.
    bus?.onReconnect(() => void this.poll());
  }

  /** Loads every revocation in force, then polls. Call once the DataSource is initialised. */
  async start(): Promise<void> {
    await this.load();
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  /** Stops polling (on shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  override async revoke(key: string, revokedAt: number, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    const now = this.clock.now();
    const expiresAt = now + Math.ceil(ttlMs);
    await serializeWrite(this.dataSource, () => this.upsert(key, revokedAt, expiresAt));
    this.remember(key, revokedAt, ttlMs, now);
    if (this.bus?.isLive()) {
      // Best effort: the row is committed, and every instance polls for it anyway.
      await this.bus.publish({ type: 'revoke', key, revokedAt, ttlMs }).catch((error: unknown) => {
        this.logger.warn(`Revocation stored; Redis broadcast failed, instances will read it from the database: ${message(error)}`);
      });
    }
  }

  override revokedAt(key: string): number | undefined {
    // One clock read for both checks: this runs for every credential on every request.
    const now = this.clock.now();
    if (!this.isFresh(now)) {
      throw new GatehouseError('service_unavailable', { retryAfter: Math.ceil(this.options.pollIntervalMs / 1000) });
    }
    return this.revokedAtTime(key, now);
  }

  status(): RevocationFeedStatus {
    const now = this.clock.now();
    return {
      fresh: this.isFresh(now),
      redis: this.bus ? (this.bus.isLive() ? 'live' : 'down') : 'none',
      lastPollAgeMs: now - this.vouchedAt,
    };
  }

  /** Reads revocations made since the last poll; failures only age the feed. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /**
   * Staleness counts only while polls fail: a poll that succeeds vouches for everything up to its
   * start, however far the clock has moved (a stalled poll fails by the database's own timeouts).
   */
  private isFresh(now: number): boolean {
    return !this.pollFailing || now - this.vouchedAt <= this.options.maxStalenessMs || this.bus?.isLive() === true;
  }

  private async pollOnce(): Promise<void> {
    const startedAt = this.clock.now();
    try {
      if (this.saturated) this.purgeExpired(startedAt);
      if (this.saturated && this.size < this.options.maxEntries) {
        // Entries were turned away at the bound: now that there is room, reload all in force.
        await this.load();
      } else {
        const since = (this.cursor ?? startedAt) - this.options.pollOverlapMs;
        const rows = await this.dataSource
          .getRepository(RevocationRecord)
          .createQueryBuilder('r')
          .where('r.revoked_at >= :since AND r.expires_at > :now', { since, now: startedAt })
          .getMany();
        this.absorb(rows, startedAt);
      }
      if (startedAt - this.lastPurge >= PURGE_EVERY_MS) await this.purgeRows(startedAt);
      if (this.pollFailing) this.logger.log('Revocation poll recovered');
      this.pollFailing = false;
    } catch (error) {
      if (!this.pollFailing) this.logger.warn(`Revocation poll failed; serving from the mirror while it is fresh: ${message(error)}`);
      this.pollFailing = true;
    }
  }

  /** Every revocation in force, from the database into the mirror. */
  async load(): Promise<void> {
    const now = this.clock.now();
    const rows = await this.dataSource.getRepository(RevocationRecord).createQueryBuilder('r').where('r.expires_at > :now', { now }).getMany();
    this.purgeExpired(now);
    // Everything in force is about to be read: entries turned away before can be forgotten.
    this.markComplete();
    this.absorb(rows, now);
  }

  private absorb(rows: RevocationRecord[], readAt: number): void {
    for (const row of rows) {
      this.remember(row.key, row.revokedAt, row.expiresAt - readAt, readAt);
      this.cursor = Math.max(this.cursor ?? row.revokedAt, row.revokedAt);
    }
    this.cursor ??= readAt;
    this.vouchedAt = Math.max(this.vouchedAt, readAt);
  }

  private async upsert(key: string, revokedAt: number, expiresAt: number): Promise<void> {
    // CASE rather than GREATEST/MAX: the same SQL on PostgreSQL and SQLite.
    const sql = `INSERT INTO gatehouse_revocations (revocation_key, revoked_at, expires_at) VALUES (:key, :revokedAt, :expiresAt)
      ON CONFLICT (revocation_key) DO UPDATE SET
        revoked_at = CASE WHEN excluded.revoked_at > gatehouse_revocations.revoked_at THEN excluded.revoked_at ELSE gatehouse_revocations.revoked_at END,
        expires_at = CASE WHEN excluded.expires_at > gatehouse_revocations.expires_at THEN excluded.expires_at ELSE gatehouse_revocations.expires_at END`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, { key, revokedAt, expiresAt });
    await this.dataSource.query(query, values);
  }

  private async purgeRows(now: number): Promise<void> {
    this.lastPurge = now;
    this.purgeExpired(now);
    await serializeWrite(this.dataSource, () =>
      this.dataSource.createQueryBuilder().delete().from(RevocationRecord).where('expires_at <= :now', { now }).execute(),
    );
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
