import { GatehouseConfigurationError, withDefaults } from '@gatehouse/core';
import { parseJwksUrl } from './jwks-url.js';

/** Signature algorithms an identity provider's access tokens may use. Never `none`, never HMAC. */
export type IssuerAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

/** Where an issuer puts the scopes: `scope` (space-separated), `scp` (string or array), `permissions` or `roles` (arrays). */
export type ScopeClaim = 'scope' | 'scp' | 'permissions' | 'roles';

/**
 * One third-party identity provider whose access tokens this resource server accepts (Auth0,
 * Keycloak, Entra ID, Cognito, Okta, …). Tokens are matched to the profile by their `iss`.
 *
 * @example { issuer: 'https://tenant.eu.auth0.com/', jwksUrl: 'https://tenant.eu.auth0.com/.well-known/jwks.json', audience: 'https://api.example.com', scopeClaim: 'permissions' }
 */
export interface IssuerProfile {
  /** The exact `iss` of the provider's tokens. Required. */
  issuer: string;
  /** The provider's JWKS URL; `https:` only (see `allowInsecureLoopback`). Required. */
  jwksUrl: string;
  /** The audience(s) accepted (exact match against `aud`). Required. */
  audience: string | string[];
  /** Algorithms accepted from this issuer. Default `['RS256']`. */
  algorithms?: IssuerAlgorithm[];
  /** Header `typ` values accepted (case-insensitive, `application/` prefix ignored); a token without `typ` counts as `JWT`. Default `['at+jwt', 'JWT']`. */
  types?: ('JWT' | 'at+jwt')[];
  /** Refuse tokens without a `jti`. Default `false`. */
  requireJti?: boolean;
  /** The claim the principal's scopes come from. Default `'scope'`. */
  scopeClaim?: ScopeClaim;
  /** A claim path (dots for nesting) the principal's `roles` come from, e.g. `'realm_access.roles'` or `'roles'`. Default: none. */
  rolesClaim?: string;
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds; 0–300. Default 60. */
  clockToleranceSeconds?: number;
  /** Longest lifetime (`exp - iat`) accepted, in seconds; needs `iat`. Default 86 400 (24 hours). */
  maxLifetimeSeconds?: number;
}

/** Options of `IssuersModule.forRoot`. */
export interface IssuersModuleOptions {
  /** The identity providers to accept, at least one, each with a distinct `issuer`. */
  issuers: IssuerProfile[];
  /** Longest wait for a JWKS, in ms. Default 5 000. */
  jwksTimeoutMs?: number;
  /** How long a fetched JWKS is trusted before refetching, in ms. Default 600 000 (10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between refetches triggered by an unknown `kid`, in ms. Default 30 000. */
  jwksCooldownMs?: number;
  /** Bearer tokens longer than this are refused unparsed. Default 8 192. */
  maxTokenLength?: number;
  /** Accept `http:` JWKS URLs on loopback hosts (127.0.0.1, ::1, localhost), for tests only. Default `false`. */
  allowInsecureLoopback?: boolean;
  /** Verified tokens cached per issuer until their `exp` (about 1.5 KB each); `0` disables the cache. Default 10 000. */
  verifiedTokenCacheSize?: number;
}

/** Every default of `IssuerProfile`, each written here only. */
export const ISSUER_PROFILE_DEFAULTS = {
  algorithms: ['RS256'],
  types: ['at+jwt', 'JWT'],
  requireJti: false,
  scopeClaim: 'scope',
  clockToleranceSeconds: 60,
  maxLifetimeSeconds: 86_400,
} satisfies Required<Omit<IssuerProfile, 'issuer' | 'jwksUrl' | 'audience' | 'rolesClaim'>>;

/** Every default of `IssuersModuleOptions`, each written here only. */
export const ISSUERS_DEFAULTS = {
  jwksTimeoutMs: 5_000,
  jwksCacheMaxAgeMs: 600_000,
  jwksCooldownMs: 30_000,
  maxTokenLength: 8_192,
  allowInsecureLoopback: false,
  verifiedTokenCacheSize: 10_000,
} satisfies Required<Omit<IssuersModuleOptions, 'issuers'>>;

/** A profile with every default applied and checked. */
export type ResolvedIssuerProfile = Required<Omit<IssuerProfile, 'jwksUrl' | 'audience' | 'types' | 'rolesClaim'>> & {
  jwksUrl: URL;
  audience: string[];
  types: ReadonlySet<string>;
  rolesClaim: string[] | undefined;
};

export type ResolvedIssuersOptions = Required<Omit<IssuersModuleOptions, 'issuers' | 'allowInsecureLoopback'>> & {
  issuers: ReadonlyMap<string, ResolvedIssuerProfile>;
};

const ALGORITHMS: readonly IssuerAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const SCOPE_CLAIMS: readonly ScopeClaim[] = ['scope', 'scp', 'permissions', 'roles'];

function fail(option: string, problem: string): never {
  throw new GatehouseConfigurationError('IssuersModule', option, problem);
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) fail(name, `must be an integer between ${min} and ${max}`);
  return value;
}

function resolveProfile(profile: IssuerProfile, index: number, allowInsecureLoopback: boolean): ResolvedIssuerProfile {
  const at = `issuers[${index}]`;
  if (typeof profile.issuer !== 'string' || profile.issuer === '') fail(`${at}.issuer`, 'must be a non-empty string');
  // Revocation keys put a space between issuer and subject: an issuer without whitespace keeps them unambiguous.
  if (/\s/.test(profile.issuer)) fail(`${at}.issuer`, 'must not contain whitespace');
  const jwksUrl = parseJwksUrl(profile.jwksUrl, allowInsecureLoopback, (problem) => fail(`${at}.jwksUrl`, problem));
  const audience = typeof profile.audience === 'string' ? [profile.audience] : profile.audience;
  if (!Array.isArray(audience) || audience.length === 0 || audience.some((value) => typeof value !== 'string' || value === '')) {
    fail(`${at}.audience`, 'must be a non-empty string or list of strings');
  }
  const given = withDefaults(ISSUER_PROFILE_DEFAULTS, profile);
  const { algorithms, types, scopeClaim } = given;
  if (algorithms.length === 0 || algorithms.some((alg) => !ALGORITHMS.includes(alg))) {
    fail(`${at}.algorithms`, `must be a non-empty subset of ${ALGORITHMS.join(', ')} (never none, never HMAC)`);
  }
  if (types.length === 0 || types.some((type) => type !== 'JWT' && type !== 'at+jwt')) fail(`${at}.types`, 'must be a non-empty subset of JWT, at+jwt');
  if (!SCOPE_CLAIMS.includes(scopeClaim)) fail(`${at}.scopeClaim`, `must be one of ${SCOPE_CLAIMS.join(', ')}`);
  return {
    issuer: profile.issuer,
    jwksUrl,
    audience: [...audience],
    algorithms: [...algorithms],
    types: new Set(types.map((type) => type.toLowerCase())),
    requireJti: given.requireJti,
    scopeClaim,
    rolesClaim: profile.rolesClaim ? profile.rolesClaim.split('.') : undefined,
    clockToleranceSeconds: bounded(`${at}.clockToleranceSeconds`, given.clockToleranceSeconds, 0, 300),
    maxLifetimeSeconds: bounded(`${at}.maxLifetimeSeconds`, given.maxLifetimeSeconds, 60, 31 * 86_400),
  };
}

/** Applies the defaults and refuses a profile that could accept a forged or unintended token. */
export function resolveIssuersOptions(options: IssuersModuleOptions): ResolvedIssuersOptions {
  if (!Array.isArray(options.issuers) || options.issuers.length === 0) fail('issuers', 'must list at least one identity provider');
  const given = withDefaults(ISSUERS_DEFAULTS, options);
  const issuers = new Map<string, ResolvedIssuerProfile>();
  options.issuers.forEach((profile, index) => {
    const resolved = resolveProfile(profile, index, given.allowInsecureLoopback);
    if (issuers.has(resolved.issuer)) fail(`issuers[${index}].issuer`, `"${resolved.issuer}" is listed twice`);
    issuers.set(resolved.issuer, resolved);
  });
  return {
    issuers,
    jwksTimeoutMs: bounded('jwksTimeoutMs', given.jwksTimeoutMs, 100, 60_000),
    jwksCacheMaxAgeMs: bounded('jwksCacheMaxAgeMs', given.jwksCacheMaxAgeMs, 1_000, 86_400_000),
    jwksCooldownMs: bounded('jwksCooldownMs', given.jwksCooldownMs, 0, 3_600_000),
    maxTokenLength: bounded('maxTokenLength', given.maxTokenLength, 256, 65_536),
    verifiedTokenCacheSize: bounded('verifiedTokenCacheSize', given.verifiedTokenCacheSize, 0, 1_000_000),
  };
}
