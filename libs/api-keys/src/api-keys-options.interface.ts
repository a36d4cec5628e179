import { GatehouseConfigurationError, withDefaults, type PrincipalKind } from '@gatehouse/core';
import type { ApiKeyStore } from './api-key-store.interface.js';
import { assertApiKeyPrefix } from './api-key.format.js';

/** Options of `ApiKeysModule.forRoot` / `forRootAsync`. Every field is optional. */
export interface ApiKeysModuleOptions {
  /** Prefix of newly issued keys (`<prefix>_<secret><checksum>`). Default `'gh_live'`. */
  prefix?: string;
  /** Prefixes accepted when verifying (and refused in URLs, redacted in logs). Default `[prefix]`. */
  acceptedPrefixes?: string[];
  /** Request header carrying the key (case-insensitive). Default `'X-API-Key'`. */
  header?: string;
  /** How long a verified key stays in the per-instance cache, in ms (also bounded by its expiry). Default `60000`. */
  cacheTtlMs?: number;
  /** How long an unknown, revoked or expired key is remembered as such, in ms. Default `60000`. */
  negativeCacheTtlMs?: number;
  /** How long a rotated key keeps working, in ms, unless `rotate()` is given its own. Default `86400000` (24 h). */
  rotationGraceMs?: number;
  /** Lifetime of a key created without `expiresInDays`; `null` means keys without it never expire. Default `90`. */
  defaultExpiresInDays?: number | null;
  /** Longest lifetime a caller may ask for; `null` lifts the cap. Default `365`. */
  maxExpiresInDays?: number | null;
  /** Active (unexpired, unrevoked) keys one owner may hold. Default `100`. */
  maxKeysPerOwner?: number;
  /** Most scopes one key may carry. Default `64`. */
  maxScopesPerKey?: number;
  /** Principal kinds allowed to create, rotate and revoke keys (a key must not mint keys). Default `['user']`. */
  managerKinds?: PrincipalKind[];
  /** Refuse any request that carries a key in its URL with 400 `api_key_in_url`. Default `true`. */
  refuseKeysInUrl?: boolean;
  /** Query parameter names refused in URLs whatever their value (compared case-insensitively). Default `['api_key', 'apiKey', 'key']`. */
  urlParameters?: string[];
  /** Minimum time between two usage writes (last used, count) of one key, in ms. Default `60000`. */
  usageWriteIntervalMs?: number;
  /** How often pending usage is flushed, in ms; `0` disables the timer (flush on shutdown only). Default `5000`. */
  usageFlushTickMs?: number;
  /** Failed key attempts from one address (IPv6: /64) within `failureBurstWindowMs` that raise `api_key.failure_burst`. Default `10`. */
  failureBurstThreshold?: number;
  /** Window for counting failed attempts per IP, in ms. Default `60000`. */
  failureBurstWindowMs?: number;
  /** Emit `api_key.new_network` when a key is used from a network (/24, /64) it was not used from before. Default `true`. */
  newNetworkEvents?: boolean;
  /** Networks remembered per key for `api_key.new_network`. Default `16`. */
  networksPerKey?: number;
  /** Minimum time between two events about the same key or IP, in ms (keeps logs readable under attack). Default `60000`. */
  eventCooldownMs?: number;
  /** A store replacing the TypeORM one. Default: TypeORM, on the app's DataSource. */
  store?: ApiKeyStore;
}

const DAY_MS = 86_400_000;

/** Every default of `ApiKeysModuleOptions`, each written here only (`acceptedPrefixes` follows `prefix`). */
export const API_KEYS_DEFAULTS = {
  prefix: 'gh_live',
  header: 'X-API-Key',
  cacheTtlMs: 60_000,
  negativeCacheTtlMs: 60_000,
  rotationGraceMs: DAY_MS,
  defaultExpiresInDays: 90,
  maxExpiresInDays: 365,
  maxKeysPerOwner: 100,
  maxScopesPerKey: 64,
  managerKinds: ['user'],
  refuseKeysInUrl: true,
  urlParameters: ['api_key', 'apiKey', 'key'],
  usageWriteIntervalMs: 60_000,
  usageFlushTickMs: 5_000,
  failureBurstThreshold: 10,
  failureBurstWindowMs: 60_000,
  newNetworkEvents: true,
  networksPerKey: 16,
  eventCooldownMs: 60_000,
} satisfies Required<Omit<ApiKeysModuleOptions, 'acceptedPrefixes' | 'store'>>;

/** Options with every default applied. */
export type ResolvedApiKeysOptions = Readonly<Required<Omit<ApiKeysModuleOptions, 'store' | 'acceptedPrefixes' | 'managerKinds' | 'urlParameters'>>> & {
  readonly acceptedPrefixes: readonly string[];
  readonly managerKinds: readonly PrincipalKind[];
  readonly urlParameters: readonly string[];
};

function fail(option: string, problem: string, cause?: unknown): never {
  throw new GatehouseConfigurationError('ApiKeysModule', option, problem, cause === undefined ? undefined : { cause });
}

function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) fail(name, `must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  return value;
}

function checkedPrefix(option: string, prefix: string): void {
  try {
    assertApiKeyPrefix(prefix);
  } catch (error) {
    fail(option, `"${prefix}" is not a key prefix: use lower-case letters, digits and single underscores, e.g. gh_live`, error);
  }
}

/** Applies defaults and rejects unusable values with a `GatehouseConfigurationError` at start-up. */
export function resolveApiKeysOptions(options: ApiKeysModuleOptions): ResolvedApiKeysOptions {
  const given = withDefaults(API_KEYS_DEFAULTS, options);
  const { prefix, defaultExpiresInDays, maxExpiresInDays } = given;
  checkedPrefix('prefix', prefix);
  // Unless listed, the accepted prefixes are the issuing prefix alone.
  const acceptedPrefixes = options.acceptedPrefixes ?? [prefix];
  acceptedPrefixes.forEach((accepted, index) => checkedPrefix(`acceptedPrefixes[${index}]`, accepted));
  if (!acceptedPrefixes.includes(prefix)) fail('acceptedPrefixes', 'must include prefix');
  const header = given.header.toLowerCase();
  if (!/^[a-z0-9-]+$/.test(header)) fail('header', 'must be a header name');
  if (defaultExpiresInDays !== null) positive('defaultExpiresInDays', defaultExpiresInDays);
  if (maxExpiresInDays !== null) positive('maxExpiresInDays', maxExpiresInDays);
  if (maxExpiresInDays !== null && (defaultExpiresInDays === null || defaultExpiresInDays > maxExpiresInDays)) {
    fail('defaultExpiresInDays', 'must be set and at most maxExpiresInDays');
  }
  return {
    prefix,
    acceptedPrefixes: [...acceptedPrefixes],
    header,
    cacheTtlMs: positive('cacheTtlMs', given.cacheTtlMs, true),
    negativeCacheTtlMs: positive('negativeCacheTtlMs', given.negativeCacheTtlMs, true),
    rotationGraceMs: positive('rotationGraceMs', given.rotationGraceMs, true),
    defaultExpiresInDays,
    maxExpiresInDays,
    maxKeysPerOwner: positive('maxKeysPerOwner', given.maxKeysPerOwner),
    maxScopesPerKey: positive('maxScopesPerKey', given.maxScopesPerKey),
    managerKinds: [...given.managerKinds],
    refuseKeysInUrl: given.refuseKeysInUrl,
    urlParameters: [...given.urlParameters],
    usageWriteIntervalMs: positive('usageWriteIntervalMs', given.usageWriteIntervalMs, true),
    usageFlushTickMs: positive('usageFlushTickMs', given.usageFlushTickMs, true),
    failureBurstThreshold: positive('failureBurstThreshold', given.failureBurstThreshold),
    failureBurstWindowMs: positive('failureBurstWindowMs', given.failureBurstWindowMs),
    newNetworkEvents: given.newNetworkEvents,
    networksPerKey: positive('networksPerKey', given.networksPerKey),
    eventCooldownMs: positive('eventCooldownMs', given.eventCooldownMs, true),
  };
}
