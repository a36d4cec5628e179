import type { GatehouseCache } from './cache.interface.js';
import type { TrustProxy } from './client-address.js';
import type { Clock } from './clock.js';
import type { GatehouseRateLimitOptions } from './rate-limit-options.interface.js';
import { withDefaults } from './options-defaults.js';
import type { RevocationStore } from './revocation-store.interface.js';

/** Options of `GatehouseModule.forRoot` / `forRootAsync`. Every field is optional. */
export interface GatehouseModuleOptions {
  /** Mechanisms a route accepts when it names none with `@AuthStrategies`. Default `['jwt', 'session']`. */
  defaultMechanisms?: string[];
  /** Passport strategies added to every non-public route, tried when no accepted header credential is present. Default `[]`. */
  strategies?: string[];
  /** Redis URL for the shared cache invalidation and revocation list (scale-out). Default: none, in-memory. */
  redisUrl?: string;
  /** Prefix of every Redis key and channel. Default `'gatehouse:'`. */
  redisKeyPrefix?: string;
  /** Upper bound on entries in the in-memory credential cache, per instance. Default `100000`. */
  cacheMaxEntries?: number;
  /** Upper bound on locally mirrored revocations (~200 bytes each); at the bound checks refuse (503), nothing is evicted. Default `1000000`. */
  revocationMaxEntries?: number;
  /** Milliseconds between database polls for revocations made on other instances (the path when Redis is down). Default `2000`. */
  revocationPollIntervalMs?: number;
  /** Once revocations newer than this many ms cannot be vouched for (no Redis pub/sub, no recent poll), credentials are refused with 503. `Infinity` keeps serving. Default `30000`. */
  revocationMaxStalenessMs?: number;
  /** A cache implementation replacing the built-in one. Default: memory, or Redis-invalidated when `redisUrl` is set. */
  cache?: GatehouseCache;
  /** A revocation store replacing the built-in one. Default: the `gatehouse_revocations` table when the app's DataSource holds `coreEntities`, else memory (or Redis when `redisUrl` is set). */
  revocations?: RevocationStore;
  /** The clock every library reads. Default: the system clock. */
  clock?: Clock;
  /** The realm named in `WWW-Authenticate` challenges. Default `'gatehouse'`. */
  realm?: string;
  /** Rate limits per principal, per address, for sign-in and for refused credentials (see docs/rate-limits.md); `false` disables them. Default: on, with the documented limits. */
  rateLimits?: GatehouseRateLimitOptions | false;
  /** Proxies trusted to forward the client address (`X-Forwarded-For`): a hop count, or addresses/CIDRs. Default: none, the socket peer is the client. */
  trustProxy?: TrustProxy;
}

/** Every default of `GatehouseModuleOptions`, each written here only. */
export const GATEHOUSE_DEFAULTS = {
  defaultMechanisms: ['jwt', 'session'],
  strategies: [],
  redisKeyPrefix: 'gatehouse:',
  cacheMaxEntries: 100_000,
  revocationMaxEntries: 1_000_000,
  revocationPollIntervalMs: 2_000,
  revocationMaxStalenessMs: 30_000,
  realm: 'gatehouse',
} satisfies Required<Pick<GatehouseModuleOptions, 'defaultMechanisms' | 'strategies' | 'redisKeyPrefix' | 'cacheMaxEntries' | 'revocationMaxEntries' | 'revocationPollIntervalMs' | 'revocationMaxStalenessMs' | 'realm'>>;

/** Options with every default applied. */
export type ResolvedGatehouseOptions = Required<Pick<GatehouseModuleOptions, keyof typeof GATEHOUSE_DEFAULTS>> & { redisUrl: GatehouseModuleOptions['redisUrl'] };

export function resolveGatehouseOptions(options: GatehouseModuleOptions): ResolvedGatehouseOptions {
  const given = withDefaults(GATEHOUSE_DEFAULTS, options);
  return {
    defaultMechanisms: [...given.defaultMechanisms],
    strategies: [...given.strategies],
    redisUrl: options.redisUrl,
    redisKeyPrefix: given.redisKeyPrefix,
    cacheMaxEntries: given.cacheMaxEntries,
    revocationMaxEntries: given.revocationMaxEntries,
    revocationPollIntervalMs: given.revocationPollIntervalMs,
    revocationMaxStalenessMs: given.revocationMaxStalenessMs,
    realm: given.realm,
  };
}
