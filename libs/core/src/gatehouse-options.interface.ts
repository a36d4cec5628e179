import type { GatehouseCache } from './cache.interface.js';
import type { Clock } from './clock.js';
import type { RevocationStore } from './revocation-store.interface.js';

/** Options of `GatehouseModule.forRoot` / `forRootAsync`. Every field is optional. */
export interface GatehouseModuleOptions {
  /** Mechanisms a route accepts when it names none with `@AuthStrategies`. Default `['jwt', 'session']`. */
  defaultMechanisms?: string[];
  /** Custom passport strategies tried on every non-public route when no built-in credential is present. Default `[]`. */
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
}

/** Options with every default applied. */
export interface ResolvedGatehouseOptions {
  defaultMechanisms: string[];
  strategies: string[];
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  cacheMaxEntries: number;
  revocationMaxEntries: number;
  revocationPollIntervalMs: number;
  revocationMaxStalenessMs: number;
  realm: string;
}

export function resolveGatehouseOptions(options: GatehouseModuleOptions): ResolvedGatehouseOptions {
  return {
    defaultMechanisms: options.defaultMechanisms ?? ['jwt', 'session'],
    strategies: options.strategies ?? [],
    redisUrl: options.redisUrl,
    redisKeyPrefix: options.redisKeyPrefix ?? 'gatehouse:',
    cacheMaxEntries: options.cacheMaxEntries ?? 100_000,
    revocationMaxEntries: options.revocationMaxEntries ?? 1_000_000,
    revocationPollIntervalMs: options.revocationPollIntervalMs ?? 2_000,
    revocationMaxStalenessMs: options.revocationMaxStalenessMs ?? 30_000,
    realm: options.realm ?? 'gatehouse',
  };
}
