import { Inject, Injectable } from '@nestjs/common';
import { ClientAddresses } from './client-addresses.js';
import { Clock } from './clock.js';
import { GATEHOUSE_RATE_LIMITS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';
import { localRateLimitStorage, type MemoryRateLimitStorage } from './memory-rate-limit.storage.js';
import type { ResolvedRateLimitOptions } from './rate-limit-options.interface.js';
import { rateLimitedError } from './rate-limit-headers.js';
import { RateLimitStorage, type ThrottlerStorageRecord } from './rate-limit-storage.interface.js';
import { SecurityEvents } from './security-events.js';

/**
 * The per-address budget of refused credentials, for every mechanism (JWT, session, API key,
 * custom): each 401 the guard answers counts against the client's address (IPv6: its /64). Past
 * `failuresPerAddress`, refusals from that address are answered 429 with `Retry-After` until the
 * window ends, and `auth.failure_budget_exceeded` is emitted once per window.
 *
 * Credentials are still checked while an address is over budget: a valid key, session or token
 * is never refused because someone else failed from the same address (a NAT, a proxy). What the
 * budget buys is a signal the client must back off, and an event to block at the edge.
 *
 * A credential refused by its shape alone (`GatehouseError.malformed`: garbage, never a guess at a
 * valid credential) is counted synchronously in this instance's memory, never in Redis: flooding
 * garbage costs the service no I/O. With the in-memory storage (one instance) both kinds share one
 * count, and both are counted synchronously; with Redis, guesses are counted across instances and
 * garbage per instance.
 */
@Injectable()
export class AuthFailureBudget {
  private readonly local: MemoryRateLimitStorage;

  constructor(
    @Inject(GATEHOUSE_RATE_LIMITS) private readonly limits: ResolvedRateLimitOptions,
    @Inject(RateLimitStorage) private readonly storage: RateLimitStorage,
    private readonly addresses: ClientAddresses,
    private readonly events: SecurityEvents,
    @Inject(Clock) clock: Clock,
  ) {
    this.local = localRateLimitStorage(storage, clock, limits.memoryMaxEntries);
  }

  /** Whether `error` counts against the budget: a 401, while rate limits are on. */
  counts(error: unknown): boolean {
    return this.limits.enabled && error instanceof GatehouseError && error.status === 401;
  }

  /**
   * Counts a refusal; gives the error to answer with: `error` itself, or a 429 past the budget.
   * Synchronous for a malformed credential (counted in memory) and for every refusal when the
   * storage is the in-memory one; a promise when the count is shared (Redis, an app's storage).
   */
  refused(request: GatehouseRequest, error: unknown): unknown {
    if (!this.counts(error)) return error;
    const { limit, ttlMs } = this.limits.failuresPerAddress;
    const address = this.addresses.bucketOf(request);
    const name = `rl:auth-failures:${address}`;
    // Garbage is always counted here; so is everything when the storage is this in-memory one, where
    // a promise would only wrap the same synchronous count.
    if ((error as GatehouseError).malformed || this.storage === this.local) {
      return this.answer(request, error, this.local.incrementNow(name, ttlMs, limit, ttlMs, 'auth-failures'), address);
    }
    return this.storage.increment(name, ttlMs, limit, ttlMs, 'auth-failures').then((record) => this.answer(request, error, record, address));
  }

  private answer(request: GatehouseRequest, error: unknown, record: ThrottlerStorageRecord, address: string): unknown {
    const { limit, ttlMs } = this.limits.failuresPerAddress;
    if (!record.isBlocked) return error;
    if (record.totalHits === limit + 1) {
      this.events.emit('auth.failure_budget_exceeded', { ip: this.addresses.of(request), network: address, failures: record.totalHits, windowMs: ttlMs });
    }
    return rateLimitedError('auth-failures', limit, ttlMs, record.timeToBlockExpire, error);
  }
}
