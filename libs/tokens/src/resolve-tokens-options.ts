import { randomBytes } from 'node:crypto';
import { GatehouseConfigurationError, normalizeAllowedOrigins, withDefaults } from '@gatehouse/core';
import { parseJwksUrl } from './jwks-url.js';
import type { SigningAlgorithm, SigningKeyJwk } from './signing-key.js';
import { TOKENS_DEFAULTS, type TokensModuleOptions } from './tokens-options.interface.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Bounds enforced at start: outside them the module refuses to start. */
export const ACCESS_TOKEN_LIFETIME_BOUNDS = { min: 5 * MINUTE, max: 15 * MINUTE } as const;
export const CLOCK_TOLERANCE_BOUNDS = { min: SECOND, max: 60 * SECOND } as const;
export const REFRESH_REUSE_LEEWAY_MAX_MS = 5 * SECOND;

/** @deprecated Use `GatehouseConfigurationError` from `@gatehouse/core`: every module's option errors are one class. */
export const TokensConfigurationError = GatehouseConfigurationError;
/** @deprecated Use `GatehouseConfigurationError` from `@gatehouse/core`. */
export type TokensConfigurationError = GatehouseConfigurationError;

/** Options with every default applied and every bound checked. */
export type ResolvedTokensOptions = Required<Pick<TokensModuleOptions, 'issuer' | 'audience' | 'refreshTokens' | Exclude<keyof typeof TOKENS_DEFAULTS, 'allowInsecureLoopback' | 'remoteAlgorithms' | 'allowedOrigins'>>> & {
  [K in 'keysFile' | 'activeKid' | 'dataSourceName']: TokensModuleOptions[K];
} & {
  acceptedAudiences: readonly string[];
  keys: readonly SigningKeyJwk[];
  jwksUrl: URL | undefined;
  remoteAlgorithms: readonly SigningAlgorithm[];
  /** The secret bytes, and whether they were configured (false: random for this process only). */
  refreshSecret: Buffer;
  refreshSecretConfigured: boolean;
  allowedOrigins: readonly string[];
};

const ALGORITHMS: readonly SigningAlgorithm[] = ['EdDSA', 'ES256'];

/** RFC 6749 §2.2 client identifiers are printable ASCII (VSCHAR); a short bound keeps them out of trouble. */
function clientIdOf(id: string): string {
  if (!/^[\x20-\x7e]{1,255}$/.test(id)) fail('clientId', 'must be 1–255 printable ASCII characters');
  return id;
}

function fail(option: string, problem: string): never {
  throw new GatehouseConfigurationError('TokensModule', option, problem);
}

function integer(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(name, `must be an integer between ${min} and ${max}, got ${String(value)}`);
  }
  return value;
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

function cookieName(name: string): string {
  if (!/^__(Secure|Host)-[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) fail('refreshCookieName', 'must be a cookie name starting with __Secure- or __Host-');
  return name;
}

function cookiePath(path: string): string {
  if (!/^\/[A-Za-z0-9._~!$&'()*+,=:@/-]*$/.test(path)) fail('refreshCookiePath', 'must be an absolute URL path');
  return path;
}

function allowedOrigins(origins: string[]): string[] {
  return normalizeAllowedOrigins(origins, { module: 'TokensModule', option: 'allowedOrigins' });
}

/** Applies defaults and refuses out-of-bounds values with a message naming the option and its bounds. */
export function resolveTokensOptions(options: TokensModuleOptions): ResolvedTokensOptions {
  if (!options || typeof options.issuer !== 'string' || options.issuer === '') fail('issuer', 'is required');
  if (typeof options.audience !== 'string' || options.audience === '') fail('audience', 'is required');
  const given = withDefaults(TOKENS_DEFAULTS, options);
  const lifetime = given.accessTokenLifetimeMs;
  if (!Number.isInteger(lifetime) || lifetime < ACCESS_TOKEN_LIFETIME_BOUNDS.min || lifetime > ACCESS_TOKEN_LIFETIME_BOUNDS.max) {
    fail(
      'accessTokenLifetimeMs',
      `must be between 5 and 15 minutes (300000–900000 ms), got ${String(options.accessTokenLifetimeMs)}: ` +
        'shorter lifetimes multiply refresh traffic, longer ones keep stolen tokens usable for too long',
    );
  }
  const { algorithm, remoteAlgorithms } = given;
  if (!ALGORITHMS.includes(algorithm)) fail('algorithm', `must be one of ${ALGORITHMS.join(', ')}`);
  if (remoteAlgorithms.length === 0 || remoteAlgorithms.some((alg) => !ALGORITHMS.includes(alg))) {
    fail('remoteAlgorithms', `must be a non-empty subset of ${ALGORITHMS.join(', ')}`);
  }
  let jwksUrl: URL | undefined;
  if (options.jwksUrl !== undefined) {
    jwksUrl = parseJwksUrl(options.jwksUrl, given.allowInsecureLoopback, (problem) => fail('jwksUrl', problem));
    if (options.keys !== undefined || options.keysFile !== undefined) fail('jwksUrl', 'give either jwksUrl (resource server) or keys/keysFile, not both');
  }
  const leeway = integer('refreshReuseLeewayMs', given.refreshReuseLeewayMs, 0, REFRESH_REUSE_LEEWAY_MAX_MS);
  const secret = parseSecret(options.refreshSecret);
  // Unless set, refresh tokens are on for an issuer and off for a resource server (jwksUrl).
  const refreshTokens = options.refreshTokens ?? jwksUrl === undefined;
  if (refreshTokens && jwksUrl) fail('refreshTokens', 'refresh tokens need signing keys: a resource server (jwksUrl) cannot issue them');
  const absolute = integer('refreshAbsoluteLifetimeMs', given.refreshAbsoluteLifetimeMs, MINUTE);
  return {
    issuer: options.issuer,
    audience: options.audience,
    // Unless listed, the accepted audiences are the issued one alone.
    acceptedAudiences: options.acceptedAudiences?.length ? [...options.acceptedAudiences] : [options.audience],
    keys: parseKeys(options.keys),
    keysFile: options.keysFile,
    activeKid: options.activeKid,
    algorithm,
    jwksUrl,
    remoteAlgorithms: [...remoteAlgorithms],
    jwksTimeoutMs: integer('jwksTimeoutMs', given.jwksTimeoutMs, 100),
    jwksCacheMaxAgeMs: integer('jwksCacheMaxAgeMs', given.jwksCacheMaxAgeMs, 0),
    jwksCooldownMs: integer('jwksCooldownMs', given.jwksCooldownMs, 0),
    jwksMaxAgeMs: integer('jwksMaxAgeMs', given.jwksMaxAgeMs, 0),
    accessTokenLifetimeMs: lifetime,
    clockToleranceMs: integer('clockToleranceMs', given.clockToleranceMs, CLOCK_TOLERANCE_BOUNDS.min, CLOCK_TOLERANCE_BOUNDS.max),
    maxTokenLength: integer('maxTokenLength', given.maxTokenLength, 256, 16_384),
    verifiedTokenCacheSize: integer('verifiedTokenCacheSize', given.verifiedTokenCacheSize, 0),
    registerMechanism: given.registerMechanism,
    refreshTokens,
    refreshAbsoluteLifetimeMs: absolute,
    refreshIdleLifetimeMs: integer('refreshIdleLifetimeMs', given.refreshIdleLifetimeMs, MINUTE, absolute),
    refreshReuseLeewayMs: leeway,
    refreshSecret: secret.bytes,
    refreshSecretConfigured: secret.configured,
    maxFamiliesPerSubject: integer('maxFamiliesPerSubject', given.maxFamiliesPerSubject, 1),
    purgeIntervalMs: integer('purgeIntervalMs', given.purgeIntervalMs, 0),
    purgeBatchSize: integer('purgeBatchSize', given.purgeBatchSize, 1, 10_000),
    userAgentMaxLength: integer('userAgentMaxLength', given.userAgentMaxLength, 0, 512),
    dataSourceName: options.dataSourceName,
    refreshCookieName: cookieName(given.refreshCookieName),
    refreshCookiePath: cookiePath(given.refreshCookiePath),
    allowedOrigins: allowedOrigins(given.allowedOrigins),
    trustSameSite: given.trustSameSite,
    clientId: clientIdOf(given.clientId),
  };
}
