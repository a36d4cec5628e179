import { randomBytes } from 'node:crypto';
import { GatehouseConfigurationError, normalizeAllowedOrigins } from '@gatehouse/core';
import { parseJwksUrl } from './jwks-url.js';
import type { SigningAlgorithm, SigningKeyJwk } from './signing-key.js';
import type { TokensModuleOptions } from './tokens-options.interface.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Bounds enforced at start: outside them the module refuses to start. */
export const ACCESS_TOKEN_LIFETIME_BOUNDS = { min: 5 * MINUTE, max: 15 * MINUTE } as const;
export const CLOCK_TOLERANCE_BOUNDS = { min: SECOND, max: 60 * SECOND } as const;
export const REFRESH_REUSE_LEEWAY_MAX_MS = 5 * SECOND;

/** @deprecated Use `GatehouseConfigurationError` from `@gatehouse/core`: every module's option errors are one class. */
export const TokensConfigurationError = GatehouseConfigurationError;
/** @deprecated Use `GatehouseConfigurationError` from `@gatehouse/core`. */
export type TokensConfigurationError = GatehouseConfigurationError;

/** Options with every default applied and every bound checked. */
export interface ResolvedTokensOptions {
  issuer: string;
  audience: string;
  acceptedAudiences: readonly string[];
  keys: readonly SigningKeyJwk[];
  keysFile: string | undefined;
  activeKid: string | undefined;
  algorithm: SigningAlgorithm;
  jwksUrl: URL | undefined;
  remoteAlgorithms: readonly SigningAlgorithm[];
  jwksTimeoutMs: number;
  jwksCacheMaxAgeMs: number;
  jwksCooldownMs: number;
  jwksMaxAgeMs: number;
  accessTokenLifetimeMs: number;
  clockToleranceMs: number;
  maxTokenLength: number;
  verifiedTokenCacheSize: number;
  registerMechanism: boolean;
  refreshTokens: boolean;
  refreshAbsoluteLifetimeMs: number;
  refreshIdleLifetimeMs: number;
  refreshReuseLeewayMs: number;
  /** The secret bytes, and whether they were configured (false: random for this process only). */
  refreshSecret: Buffer;
  refreshSecretConfigured: boolean;
  maxFamiliesPerSubject: number;
  purgeIntervalMs: number;
  purgeBatchSize: number;
  userAgentMaxLength: number;
  dataSourceName: string | undefined;
  refreshCookieName: string;
  refreshCookiePath: string;
  allowedOrigins: readonly string[];
  trustSameSite: boolean;
  clientId: string;
}

const ALGORITHMS: readonly SigningAlgorithm[] = ['EdDSA', 'ES256'];

/** RFC 6749 §2.2 client identifiers are printable ASCII (VSCHAR); a short bound keeps them out of trouble. */
function clientIdOf(value: string | undefined): string {
  const id = value ?? 'first-party';
  if (!/^[\x20-\x7e]{1,255}$/.test(id)) fail('clientId', 'must be 1–255 printable ASCII characters');
  return id;
}

function fail(option: string, problem: string): never {
  throw new GatehouseConfigurationError('TokensModule', option, problem);
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    fail(name, `must be an integer between ${min} and ${max}, got ${String(value)}`);
  }
  return resolved;
}

function parseKeys(keys: TokensModuleOptions['keys']): SigningKeyJwk[] {
  if (keys === undefined) return [];
  let parsed: unknown = keys;
  if (typeof keys === 'string') {
    if (keys.trim() === '') return [];
    try {
      parsed = JSON.parse(keys);
    } catch {
      fail('keys', 'is not valid JSON (expected a JWK array or a JWKS {"keys": [...]})');
    }
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as { keys?: unknown }).keys)) {
    parsed = (parsed as { keys: unknown[] }).keys;
  }
  if (!Array.isArray(parsed) || parsed.some((key) => typeof key !== 'object' || key === null)) {
    fail('keys', 'must be a JWK array or a JWKS {"keys": [...]}');
  }
  return parsed as SigningKeyJwk[];
}

function parseSecret(secret: string | undefined): { bytes: Buffer; configured: boolean } {
  if (secret === undefined || secret === '') return { bytes: randomBytes(32), configured: false };
  const bytes = /^[A-Za-z0-9_-]{43,}$/.test(secret) ? Buffer.from(secret, 'base64url') : Buffer.from(secret, 'utf8');
  if (bytes.length < 32) fail('refreshSecret', 'must hold at least 32 bytes (256 bits)');
  return { bytes, configured: true };
}

function cookieName(name = '__Secure-refresh_token'): string {
  if (!/^__(Secure|Host)-[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) fail('refreshCookieName', 'must be a cookie name starting with __Secure- or __Host-');
  return name;
}

function cookiePath(path = '/auth/refresh'): string {
  if (!/^\/[A-Za-z0-9._~!$&'()*+,=:@/-]*$/.test(path)) fail('refreshCookiePath', 'must be an absolute URL path');
  return path;
}

function allowedOrigins(origins: string[] = []): string[] {
  return normalizeAllowedOrigins(origins, { module: 'TokensModule', option: 'allowedOrigins' });
}

/** Applies defaults and refuses out-of-bounds values with a message naming the option and its bounds. */
export function resolveTokensOptions(options: TokensModuleOptions): ResolvedTokensOptions {
  if (!options || typeof options.issuer !== 'string' || options.issuer === '') fail('issuer', 'is required');
  if (typeof options.audience !== 'string' || options.audience === '') fail('audience', 'is required');
  const lifetime = options.accessTokenLifetimeMs ?? 10 * MINUTE;
  if (!Number.isInteger(lifetime) || lifetime < ACCESS_TOKEN_LIFETIME_BOUNDS.min || lifetime > ACCESS_TOKEN_LIFETIME_BOUNDS.max) {
    fail(
      'accessTokenLifetimeMs',
      `must be between 5 and 15 minutes (300000–900000 ms), got ${String(options.accessTokenLifetimeMs)}: ` +
        'shorter lifetimes multiply refresh traffic, longer ones keep stolen tokens usable for too long',
    );
  }
  const algorithm = options.algorithm ?? 'EdDSA';
  if (!ALGORITHMS.includes(algorithm)) fail('algorithm', `must be one of ${ALGORITHMS.join(', ')}`);
  const remoteAlgorithms = options.remoteAlgorithms ?? ['EdDSA'];
  if (remoteAlgorithms.length === 0 || remoteAlgorithms.some((alg) => !ALGORITHMS.includes(alg))) {
    fail('remoteAlgorithms', `must be a non-empty subset of ${ALGORITHMS.join(', ')}`);
  }
  let jwksUrl: URL | undefined;
  if (options.jwksUrl !== undefined) {
    jwksUrl = parseJwksUrl(options.jwksUrl, options.allowInsecureLoopback ?? false, (problem) => fail('jwksUrl', problem));
    if (options.keys !== undefined || options.keysFile !== undefined) fail('jwksUrl', 'give either jwksUrl (resource server) or keys/keysFile, not both');
  }
  const leeway = integer('refreshReuseLeewayMs', options.refreshReuseLeewayMs, 2 * SECOND, 0, REFRESH_REUSE_LEEWAY_MAX_MS);
  const secret = parseSecret(options.refreshSecret);
  const refreshTokens = options.refreshTokens ?? jwksUrl === undefined;
  if (refreshTokens && jwksUrl) fail('refreshTokens', 'refresh tokens need signing keys: a resource server (jwksUrl) cannot issue them');
  const absolute = integer('refreshAbsoluteLifetimeMs', options.refreshAbsoluteLifetimeMs, 30 * DAY, MINUTE);
  return {
    issuer: options.issuer,
    audience: options.audience,
    acceptedAudiences: options.acceptedAudiences?.length ? [...options.acceptedAudiences] : [options.audience],
    keys: parseKeys(options.keys),
    keysFile: options.keysFile,
    activeKid: options.activeKid,
    algorithm,
    jwksUrl,
    remoteAlgorithms: [...remoteAlgorithms],
    jwksTimeoutMs: integer('jwksTimeoutMs', options.jwksTimeoutMs, 5 * SECOND, 100),
    jwksCacheMaxAgeMs: integer('jwksCacheMaxAgeMs', options.jwksCacheMaxAgeMs, 10 * MINUTE, 0),
    jwksCooldownMs: integer('jwksCooldownMs', options.jwksCooldownMs, 30 * SECOND, 0),
    jwksMaxAgeMs: integer('jwksMaxAgeMs', options.jwksMaxAgeMs, 5 * MINUTE, 0),
    accessTokenLifetimeMs: lifetime,
    clockToleranceMs: integer('clockToleranceMs', options.clockToleranceMs, 30 * SECOND, CLOCK_TOLERANCE_BOUNDS.min, CLOCK_TOLERANCE_BOUNDS.max),
    maxTokenLength: integer('maxTokenLength', options.maxTokenLength, 8192, 256, 16_384),
    verifiedTokenCacheSize: integer('verifiedTokenCacheSize', options.verifiedTokenCacheSize, 100_000, 0),
    registerMechanism: options.registerMechanism ?? true,
    refreshTokens,
    refreshAbsoluteLifetimeMs: absolute,
    refreshIdleLifetimeMs: integer('refreshIdleLifetimeMs', options.refreshIdleLifetimeMs, 14 * DAY, MINUTE, absolute),
    refreshReuseLeewayMs: leeway,
    refreshSecret: secret.bytes,
    refreshSecretConfigured: secret.configured,
    maxFamiliesPerSubject: integer('maxFamiliesPerSubject', options.maxFamiliesPerSubject, 10, 1),
    purgeIntervalMs: integer('purgeIntervalMs', options.purgeIntervalMs, 60 * MINUTE, 0),
    purgeBatchSize: integer('purgeBatchSize', options.purgeBatchSize, 500, 1, 10_000),
    userAgentMaxLength: integer('userAgentMaxLength', options.userAgentMaxLength, 512, 0, 512),
    dataSourceName: options.dataSourceName,
    refreshCookieName: cookieName(options.refreshCookieName),
    refreshCookiePath: cookiePath(options.refreshCookiePath),
    allowedOrigins: allowedOrigins(options.allowedOrigins),
    trustSameSite: options.trustSameSite ?? false,
    clientId: clientIdOf(options.clientId),
  };
}
