import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { addressBucket, Clock, localRateLimitStorage, RateLimitStorage, SecurityEvents, type MemoryRateLimitStorage } from '@gatehouse/core';
import { API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ipNetwork } from './ip-network.js';

/** Why a presented key was refused (never told to the client: every reason is the same 401). */
export type ApiKeyFailureReason = 'malformed' | 'unknown' | 'revoked' | 'expired';

/** What the detector needs to know about a key. */
export interface ObservedKey {
  id: string;
  ownerId: string;
  /** The network of the key's last recorded use, to seed a fresh instance. */
  lastUsedNetwork: string | null;
}

interface KeyNetworks {
  lastIp: string | undefined;
  networks: string[];
}

/** How long a network stays "seen" for a key, across instances. */
const NETWORK_MEMORY_MS = 30 * 24 * 60 * 60_000;

/**
 * Spots what a key's owner or an operator should hear about, and emits it through
 * `SecurityEvents` (logged, and published as `gatehouse.api_key.*`):
 * - `api_key.failure_burst`: `failureBurstThreshold` refused keys from one address (IPv6: /64) within the window;
 * - `api_key.new_network`: a key used from a /24 or /64 it was not seen on before;
 * - `api_key.revoked_used`: a revoked key still being presented.
 * The counts live in core's `RateLimitStorage`, so with Redis they are global: a burst spread
 * over instances is one burst, a network seen by one instance is seen by all, and a cooldown
 * holds everywhere. The hot path for a key used again from its last address touches no counter.
 * (The per-address limit on refused credentials is core's `AuthFailureBudget`, for every mechanism.)
 */
@Injectable()
export class ApiKeyAnomalyDetector {
  private readonly networks = new LRUCache<string, KeyNetworks>({ max: 100_000 });
  private readonly pending = new Set<Promise<void>>();

  /** Per-instance counters for malformed keys, which cost no I/O (the shared ones when they are in memory). */
  private readonly local: MemoryRateLimitStorage;

  /** The address of the last malformed key and its counter's name. */
  private malformedFrom?: { ip: string | undefined; counter: string };

  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly options: ResolvedApiKeysOptions,
    @Inject(RateLimitStorage) protected readonly counters: RateLimitStorage,
    protected readonly events: SecurityEvents,
    @Inject(Clock) clock: Clock,
  ) {
    this.local = localRateLimitStorage(counters, clock);
  }

  /** Records a refused key from `ip`; `key` is known for revoked and expired keys. Resolves once counted. */
  async failed(ip: string | undefined, reason: ApiKeyFailureReason, key?: ObservedKey): Promise<void> {
    const { failureBurstWindowMs: windowMs, failureBurstThreshold: threshold } = this.options;
    const burst = this.count(failuresCounter(ip), windowMs, threshold);
    const revoked = reason === 'revoked' && key ? this.reportRevokedUse(key, ip) : undefined;
    const failures = await burst;
    if (failures === threshold) this.events.emit('api_key.failure_burst', { ip, failures, windowMs, reason });
    await revoked;
  }

  /**
   * Records a key that failed its checksum, synchronously and in this instance's memory: garbage
   * costs no I/O. With in-memory counters (one instance) it joins the count `failed` keeps; with
   * Redis, malformed keys make bursts per instance.
   */
  failedMalformed(ip: string | undefined): void {
    const { failureBurstWindowMs: windowMs, failureBurstThreshold: threshold } = this.options;
    // Garbage tends to come in runs from one address: its counter's name is built once per run.
    if (this.malformedFrom === undefined || this.malformedFrom.ip !== ip) this.malformedFrom = { ip, counter: `rl:${failuresCounter(ip)}` };
    const failures = this.local.incrementNow(this.malformedFrom.counter, windowMs, threshold, windowMs, 'api-key-failures').totalHits;
    if (failures === threshold) this.events.emit('api_key.failure_burst', { ip, failures, windowMs, reason: 'malformed' });
  }

  /**
   * Records a successful use of `key` from `ip`; returns the network it came from. A network this
   * instance has not seen the key on is checked against the shared count in the background.
   */
  used(key: ObservedKey, ip: string | undefined): string | undefined {
    if (!this.options.newNetworkEvents || !ip) return ipNetwork(ip);
    let state = this.networks.get(key.id);
    if (!state) {
      state = { lastIp: undefined, networks: key.lastUsedNetwork ? [key.lastUsedNetwork] : [] };
      this.networks.set(key.id, state);
    }
    if (ip === state.lastIp) return state.networks.at(-1);
    state.lastIp = ip;
    const network = ipNetwork(ip);
    if (!network) return undefined;
    const known = state.networks.indexOf(network);
    if (known >= 0) {
      // Most recent last, so the oldest networks are the ones forgotten.
      state.networks.splice(known, 1);
      state.networks.push(network);
      return network;
    }
    const previousNetwork = state.networks.at(-1);
    state.networks.push(network);
    if (state.networks.length > this.options.networksPerKey) state.networks.shift();
    this.track(this.checkNetwork(key, ip, network, previousNetwork));
    return network;
  }

  /** Resolves when every background check started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async checkNetwork(key: ObservedKey, ip: string, network: string, previousNetwork: string | undefined): Promise<void> {
    // First sight of this network for the key, on any instance; and was there one before it?
    if ((await this.count(`api-key-network:${key.id}:${network}`, NETWORK_MEMORY_MS, 1)) !== 1) return;
    const networksSeen = await this.count(`api-key-networks:${key.id}`, NETWORK_MEMORY_MS, Number.MAX_SAFE_INTEGER);
    if (networksSeen < 2 && !previousNetwork) return;
    this.events.emit('api_key.new_network', { subject: key.ownerId, keyId: key.id, ip, network, ...(previousNetwork ? { previousNetwork } : {}) });
  }

  private async reportRevokedUse(key: ObservedKey, ip: string | undefined): Promise<void> {
    const cooldown = this.options.eventCooldownMs;
    if (cooldown > 0 && (await this.count(`api-key-revoked-used:${key.id}`, cooldown, 1)) !== 1) return;
    this.events.emit('api_key.revoked_used', { subject: key.ownerId, keyId: key.id, ip });
  }

  /** One hit on a shared counter; its hits in the window so far (0 when the storage failed). */
  private async count(name: string, windowMs: number, limit: number): Promise<number> {
    try {
      const record = await this.counters.increment(`rl:${name}`, windowMs, limit, windowMs, name.slice(0, name.indexOf(':')));
      return record.totalHits;
    } catch {
      return 0;
    }
  }

  private track(check: Promise<void>): void {
    this.pending.add(check);
    void check.finally(() => this.pending.delete(check));
  }
}

/** The name of the refused-key counter of `ip`'s address (IPv6: its /64), shared by every kind of refusal. */
function failuresCounter(ip: string | undefined): string {
  return `api-key-failures:${addressBucket(ip)}`;
}
