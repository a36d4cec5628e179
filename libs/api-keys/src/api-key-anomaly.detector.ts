import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Clock, GatehouseError, SecurityEvents } from '@gatehouse/core';
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

interface FailureWindow {
  startedAt: number;
  count: number;
}

interface KeyNetworks {
  lastIp: string | undefined;
  networks: string[];
}

/**
 * Spots what a key's owner or an operator should hear about, and emits it through
 * `SecurityEvents` (logged, and published as `gatehouse.api_key.*`):
 * - `api_key.failure_burst`: `failureBurstThreshold` refused keys from one IP within the window;
 * - `api_key.new_network`: a key used from a /24 or /64 it was not seen on before;
 * - `api_key.revoked_used`: a revoked key still being presented.
 * It also enforces `failureLimit`: an IP that keeps presenting bad keys is answered 429.
 * State is per instance and bounded; the hot path for a known client is two map lookups.
 */
@Injectable()
export class ApiKeyAnomalyDetector {
  private readonly failures = new LRUCache<string, FailureWindow>({ max: 50_000 });
  private readonly networks = new LRUCache<string, KeyNetworks>({ max: 100_000 });
  private readonly revokedReportedAt = new LRUCache<string, number>({ max: 50_000 });

  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly options: ResolvedApiKeysOptions,
    @Inject(Clock) protected readonly clock: Clock,
    protected readonly events: SecurityEvents,
  ) {}

  /** Records a refused key from `ip`; `key` is known for revoked and expired keys. */
  failed(ip: string | undefined, reason: ApiKeyFailureReason, key?: ObservedKey): void {
    const now = this.clock.now();
    if (reason === 'revoked' && key) this.reportRevokedUse(key, ip, now);
    const source = ip ?? 'unknown';
    let window = this.failures.get(source);
    if (!window || now - window.startedAt >= this.options.failureBurstWindowMs) {
      window = { startedAt: now, count: 0 };
      this.failures.set(source, window);
    }
    window.count++;
    if (window.count === this.options.failureBurstThreshold) {
      this.events.emit('api_key.failure_burst', { ip, failures: window.count, windowMs: this.options.failureBurstWindowMs, reason });
    }
  }

  /**
   * Throws 429 `rate_limited` while `ip` is over `failureLimit` failures in the current window,
   * with `Retry-After` until the window ends. Refused attempts made while blocked are not counted.
   */
  assertNotBlocked(ip: string | undefined): void {
    const limit = this.options.failureLimit;
    if (limit === 0) return;
    const window = this.failures.get(ip ?? 'unknown');
    if (!window || window.count < limit) return;
    const remainingMs = window.startedAt + this.options.failureBurstWindowMs - this.clock.now();
    if (remainingMs <= 0) return;
    const seconds = Math.ceil(remainingMs / 1000);
    const windowSeconds = Math.ceil(this.options.failureBurstWindowMs / 1000);
    throw new GatehouseError('rate_limited', {
      retryAfter: seconds,
      headers: { 'RateLimit-Policy': `"api-key-failures";q=${limit};w=${windowSeconds}`, RateLimit: `"api-key-failures";r=0;t=${seconds}` },
    });
  }

  /** Records a successful use of `key` from `ip`; returns the network it came from. */
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
    if (previousNetwork) {
      this.events.emit('api_key.new_network', { subject: key.ownerId, keyId: key.id, ip, network, previousNetwork });
    }
    return network;
  }

  private reportRevokedUse(key: ObservedKey, ip: string | undefined, now: number): void {
    const last = this.revokedReportedAt.get(key.id);
    if (last !== undefined && now - last < this.options.eventCooldownMs) return;
    this.revokedReportedAt.set(key.id, now);
    this.events.emit('api_key.revoked_used', { subject: key.ownerId, keyId: key.id, ip });
  }
}
