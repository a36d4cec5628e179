import { GatehouseConfigurationError } from './configuration-error.js';
import { withDefaults } from './options-defaults.js';
import type { RateLimitStorage } from './rate-limit-storage.interface.js';

/** At most `limit` hits per `ttlMs` milliseconds. */
export interface RateLimit {
  limit: number;
  ttlMs: number;
}

/**
 * `GatehouseModule.forRoot({ rateLimits })`: every limit gatehouse enforces. Each field is
 * optional; `rateLimits: false` turns every limit off (benchmarks only).
 */
export interface GatehouseRateLimitOptions {
  /** Requests per API key, shared with the service tokens exchanged from it. Default `600` per 60 s. */
  apiKey?: RateLimit;
  /** Requests per user, across all their access tokens and sessions. Default `1200` per 60 s. */
  user?: RateLimit;
  /** Requests without a credential, per client address (IPv6: per /64). Default `300` per 60 s. */
  anonymous?: RateLimit;
  /** Sign-in attempts per account from addresses that never signed in to it, all together. Default `20` per 15 min. */
  signInPerAccount?: RateLimit;
  /** Sign-in attempts per account from one address (known or not). Default `10` per 15 min. */
  signInPerAccountAndAddress?: RateLimit;
  /** Sign-in attempts per address, whatever the account (spraying). Default `100` per 15 min. */
  signInPerAddress?: RateLimit;
  /** How long an address stays known to an account after a successful sign-in from it, in ms. Default 30 days. */
  knownAddressTtlMs?: number;
  /** Refused credentials (any mechanism) per client address before refusals are answered 429. Default `100` per 60 s. */
  failuresPerAddress?: RateLimit;
  /** Longest wait for a Redis counter before counting in memory instead, in ms. Default `250`. */
  redisTimeoutMs?: number;
  /** Most keys the in-memory counters hold (least recently used go first). Default `100000`. */
  memoryMaxEntries?: number;
  /** A storage replacing the built-in one (any @nestjs/throttler storage). Default: memory, or Redis when `redisUrl` is set. */
  storage?: RateLimitStorage;
}

const MINUTE = 60_000;

/** Every default of `GatehouseRateLimitOptions`, each written here only. */
export const RATE_LIMIT_DEFAULTS = {
  apiKey: { limit: 600, ttlMs: MINUTE },
  user: { limit: 1200, ttlMs: MINUTE },
  anonymous: { limit: 300, ttlMs: MINUTE },
  signInPerAccount: { limit: 20, ttlMs: 15 * MINUTE },
  signInPerAccountAndAddress: { limit: 10, ttlMs: 15 * MINUTE },
  signInPerAddress: { limit: 100, ttlMs: 15 * MINUTE },
  knownAddressTtlMs: 30 * 24 * 60 * MINUTE,
  failuresPerAddress: { limit: 100, ttlMs: MINUTE },
  redisTimeoutMs: 250,
  memoryMaxEntries: 100_000,
} satisfies Required<Omit<GatehouseRateLimitOptions, 'storage'>>;

/** Rate-limit options with every default applied; `enabled: false` when `rateLimits: false`. */
export type ResolvedRateLimitOptions = Required<Omit<GatehouseRateLimitOptions, 'storage'>> & { enabled: boolean };

function checked(name: string, value: RateLimit): RateLimit {
  if (!Number.isInteger(value.limit) || value.limit < 1 || !Number.isFinite(value.ttlMs) || value.ttlMs < 1) {
    throw new GatehouseConfigurationError('GatehouseModule', `rateLimits.${name}`, 'must be { limit: positive integer, ttlMs: positive number }');
  }
  return { limit: value.limit, ttlMs: value.ttlMs };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new GatehouseConfigurationError('GatehouseModule', `rateLimits.${name}`, 'must be a positive number');
  return value;
}

/** Applies the defaults and refuses unusable values with a `GatehouseConfigurationError` at start-up. */
export function resolveRateLimitOptions(options: GatehouseRateLimitOptions | false | undefined): ResolvedRateLimitOptions {
  const given = withDefaults(RATE_LIMIT_DEFAULTS, options === false ? {} : options);
  return {
    enabled: options !== false,
    apiKey: checked('apiKey', given.apiKey),
    user: checked('user', given.user),
    anonymous: checked('anonymous', given.anonymous),
    signInPerAccount: checked('signInPerAccount', given.signInPerAccount),
    signInPerAccountAndAddress: checked('signInPerAccountAndAddress', given.signInPerAccountAndAddress),
    signInPerAddress: checked('signInPerAddress', given.signInPerAddress),
    knownAddressTtlMs: positive('knownAddressTtlMs', given.knownAddressTtlMs),
    failuresPerAddress: checked('failuresPerAddress', given.failuresPerAddress),
    redisTimeoutMs: positive('redisTimeoutMs', given.redisTimeoutMs),
    memoryMaxEntries: positive('memoryMaxEntries', given.memoryMaxEntries),
  };
}
