import { Inject, Injectable } from '@nestjs/common';
import { hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import { Clock, GatehouseCache, GatehouseError, KnownSecretHashes, RevocationStore, type KnownSecret, type Principal } from '@gatehouse/core';
import { API_KEY_CACHE_PREFIX, API_KEY_MECHANISM, API_KEY_REVOCATION_PREFIX, API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyAnomalyDetector, type ApiKeyFailureReason, type ObservedKey } from './api-key-anomaly.detector.js';
import { hasValidApiKeyChecksum } from './api-key.format.js';
import { ApiKeyStore, type ApiKeyRecord } from './api-key-store.interface.js';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder.js';

/** A key known to be valid, as cached: everything a request needs, with its principal built once. */
interface ValidKeyEntry extends ObservedKey {
  readonly valid: true;
  readonly expiresAt: number | null;
  readonly principal: Principal;
  /** The key's revocation-list key, built once (absent from entries a shared cache kept from before). */
  readonly revocationKey?: string;
}

/** A key known to be unusable, cached so that repeats cost no database query. */
interface RefusedKeyEntry {
  readonly valid: false;
  readonly reason: Exclude<ApiKeyFailureReason, 'malformed'>;
  readonly key?: ObservedKey;
}

type KeyEntry = ValidKeyEntry | RefusedKeyEntry;

/** Compared against when no row matched, so an unknown key costs what a known one does. */
const DUMMY_HASH = Buffer.alloc(32);

/** Accepted keys whose hash this instance remembers (about 200 bytes each). */
const KNOWN_KEY_HASHES = 10_000;

/** SHA-256 of a presented key, lower-case hex: the form it is stored and cached under. */
export function hashApiKey(key: string): string {
  // One-shot hashing skips the Hash object: it is most of the cost of a cached key.
  return oneShotHash('sha256', key, 'hex');
}

/**
 * Turns a presented key into a principal, or refuses it with the one 401 `invalid_api_key` that
 * says nothing about why (unknown, revoked, expired or mistyped look the same).
 *
 * Order of checks: the checksum (no I/O), then the per-instance cache keyed by the key's SHA-256
 * (valid and refused keys alike), then the database by hash, compared in constant time. A key
 * accepted before costs two map lookups (its hash is remembered, so neither the checksum nor
 * SHA-256 runs again); concurrent misses for one key share one query. A well-formed key is always
 * looked up, whatever failed before from its address: core's `AuthFailureBudget` answers refusals
 * past the per-address budget with 429, never valid keys.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly loading = new Map<string, Promise<KeyEntry>>();
  private readonly knownHashes = new KnownSecretHashes(KNOWN_KEY_HASHES, API_KEY_CACHE_PREFIX);

  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly options: ResolvedApiKeysOptions,
    @Inject(ApiKeyStore) protected readonly store: ApiKeyStore,
    @Inject(GatehouseCache) protected readonly cache: GatehouseCache,
    @Inject(RevocationStore) protected readonly revocations: RevocationStore,
    @Inject(Clock) protected readonly clock: Clock,
    protected readonly usage: ApiKeyUsageRecorder,
    protected readonly anomalies: ApiKeyAnomalyDetector,
  ) {}

  /** The principal of `presented`, synchronously when the key is cached; throws `invalid_api_key` otherwise. */
  verify(presented: string, ip?: string): Principal | Promise<Principal> {
    const checked = this.check(presented, ip);
    if (checked instanceof GatehouseError) throw checked;
    return checked;
  }

  /** `verify` for the guard's hot path: a key that fails its checksum is returned as its 401, not thrown. */
  check(presented: string, ip?: string): Principal | Promise<Principal> | GatehouseError {
    // A key accepted before passed its checksum then; its hash is remembered.
    const known = this.knownHashes.lookup(presented);
    if (known === undefined && !hasValidApiKeyChecksum(presented, this.options.acceptedPrefixes)) return this.refuseMalformed(ip);
    const hash = known?.hash ?? hashApiKey(presented);
    // A remembered key's cache key is one string built once: the lookup hashes nothing new.
    const cached = this.cache.get<KeyEntry>(known?.cacheKey ?? API_KEY_CACHE_PREFIX + hash);
    if (cached) return this.accept(presented, known, cached, hash, ip);
    return this.load(hash).then((entry) => this.accept(presented, known, entry, hash, ip));
  }

  /** Drops what this instance (and, with Redis, every instance) cached about the key with this hash. */
  invalidate(hash: string): Promise<void> {
    return this.cache.invalidate(API_KEY_CACHE_PREFIX + hash);
  }

  /** `decide`, remembering the hash of a key that turned out valid. */
  private accept(presented: string, known: KnownSecret | undefined, entry: KeyEntry, hash: string, ip: string | undefined): Principal | Promise<never> {
    const principal = this.decide(entry, hash, ip);
    if (known === undefined && !(principal instanceof Promise)) this.knownHashes.remember(presented, hash);
    return principal;
  }

  private decide(entry: KeyEntry, hash: string, ip: string | undefined): Principal | Promise<never> {
    if (!entry.valid) return this.refuse(ip, entry.reason, entry.key);
    const now = this.clock.now();
    // The revocation list closes the gap between a revoke and a cache fill racing it on another instance.
    if (this.revocations.revokedAt(entry.revocationKey ?? API_KEY_REVOCATION_PREFIX + entry.id) !== undefined) {
      return this.remember(hash, { valid: false, reason: 'revoked', key: observed(entry) }, ip);
    }
    if (entry.expiresAt !== null && now >= entry.expiresAt) {
      return this.remember(hash, { valid: false, reason: 'expired', key: observed(entry) }, ip);
    }
    this.usage.record(entry.id, now, this.anomalies.used(entry, ip));
    return entry.principal;
  }

  private remember(hash: string, entry: RefusedKeyEntry, ip: string | undefined): Promise<never> {
    this.cache.set(API_KEY_CACHE_PREFIX + hash, entry, this.options.negativeCacheTtlMs);
    return this.refuse(ip, entry.reason, entry.key);
  }

  /**
   * A key that fails its checksum: refused at once, without a promise or any I/O on the way; the
   * anomaly detector counts it in the background (its counters may be shared through Redis).
   */
  private refuseMalformed(ip: string | undefined): GatehouseError {
    this.anomalies.failedMalformed(ip);
    return new GatehouseError('invalid_api_key', { mechanism: API_KEY_MECHANISM }, { malformed: true });
  }

  /** Counted by the anomaly detector (shared counters, so a refusal waits for them), then the one 401. */
  private async refuse(ip: string | undefined, reason: ApiKeyFailureReason, key?: ObservedKey): Promise<never> {
    await this.anomalies.failed(ip, reason, key);
    throw new GatehouseError('invalid_api_key', { mechanism: API_KEY_MECHANISM });
  }

  private load(hash: string): Promise<KeyEntry> {
    let pending = this.loading.get(hash);
    if (!pending) {
      pending = this.fetch(hash).finally(() => this.loading.delete(hash));
      this.loading.set(hash, pending);
    }
    return pending;
  }

  private async fetch(hash: string): Promise<KeyEntry> {
    let record: ApiKeyRecord | null;
    try {
      record = await this.store.findByHash(hash);
    } catch (error) {
      throw new GatehouseError('service_unavailable', {}, { cause: error });
    }
    const presented = Buffer.from(hash, 'hex');
    // The lookup already matched on the hash; the constant-time compare guards against a store
    // that matches loosely (collations, prefixes) and keeps known and unknown keys equally costly.
    const matches = timingSafeEqual(record && record.hash.length === 64 ? Buffer.from(record.hash, 'hex') : DUMMY_HASH, presented);
    const now = this.clock.now();
    let entry: KeyEntry;
    let ttl = this.options.negativeCacheTtlMs;
    if (!record || !matches) entry = { valid: false, reason: 'unknown' };
    else if (record.revokedAt !== null) entry = { valid: false, reason: 'revoked', key: observed(record) };
    else if (record.expiresAt !== null && now >= record.expiresAt) entry = { valid: false, reason: 'expired', key: observed(record) };
    else {
      entry = validEntry(record);
      ttl = Math.min(this.options.cacheTtlMs, record.expiresAt === null ? Infinity : record.expiresAt - now);
    }
    this.cache.set(API_KEY_CACHE_PREFIX + hash, entry, ttl);
    return entry;
  }
}

function observed(key: ObservedKey): ObservedKey {
  return { id: key.id, ownerId: key.ownerId, lastUsedNetwork: key.lastUsedNetwork };
}

function validEntry(record: ApiKeyRecord): ValidKeyEntry {
  const scopes = Object.freeze(record.scopes.split(' ').filter(Boolean));
  const credential = Object.freeze({ mechanism: API_KEY_MECHANISM, id: record.id, ...(record.expiresAt !== null ? { expiresAt: record.expiresAt } : {}) });
  const principal: Principal = Object.freeze({ kind: 'api-key', subject: record.ownerId, scopes, credential });
  return Object.freeze({
    valid: true,
    id: record.id,
    ownerId: record.ownerId,
    lastUsedNetwork: record.lastUsedNetwork,
    expiresAt: record.expiresAt,
    principal,
    revocationKey: API_KEY_REVOCATION_PREFIX + record.id,
  });
}
