import { Inject, Injectable } from '@nestjs/common';
import { Clock, GatehouseCache, RevocationStore, SecurityEvents, sessionRevocationKey } from '@gatehouse/core';
import type { SessionRecord } from './session.entity.js';
import type { SessionEndReason } from './session.interfaces.js';
import { SESSION_CACHE_PREFIX } from './sessions.constants.js';

/**
 * Makes deleted sessions unusable everywhere at once: drops their cache entries on every
 * instance and records `sid:<id>` in the revocation list until they would have expired anyway,
 * which also closes the race where an instance re-caches a row it read just before the delete.
 */
@Injectable()
export class SessionRevocations {
  constructor(
    @Inject(GatehouseCache) private readonly cache: GatehouseCache,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
    @Inject(Clock) private readonly clock: Clock,
    private readonly events: SecurityEvents,
  ) {}

  /** Call after the rows are deleted from the store. */
  async ended(records: readonly SessionRecord[], reason: SessionEndReason): Promise<void> {
    const now = this.clock.now();
    await Promise.all(
      records.map(async (record) => {
        const remaining = record.absoluteExpiresAt - now;
        await Promise.all([
          this.cache.invalidate(SESSION_CACHE_PREFIX + record.tokenHash),
          remaining > 0 ? this.revocations.revoke(sessionRevocationKey(record.id), now, remaining + 60_000) : undefined,
        ]);
        this.events.emit('session.ended', { subject: record.subject, sessionId: record.id, reason });
      }),
    );
  }

  /** Whether session `id` was revoked on any instance; `key` is its revocation key when the caller built it once already. */
  isRevoked(id: string, key = sessionRevocationKey(id)): boolean {
    return this.revocations.revokedAt(key) !== undefined;
  }
}
