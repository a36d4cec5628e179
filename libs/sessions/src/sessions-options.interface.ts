import { GatehouseConfigurationError, normalizeAllowedOrigins, withDefaults } from '@gatehouse/core';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Options of `SessionsModule.forRoot` / `forRootAsync`. Every field is optional. */
export interface SessionsModuleOptions {
  /** Name of the session cookie. Default `'__Host-session'` (Secure, Path=/, no Domain: subdomains cannot set or shadow it). */
  cookieName?: string;
  /** `SameSite` of the session cookie. Default `'Lax'` (top-level links from other sites keep the user signed in). */
  sameSite?: 'Lax' | 'Strict';
  /** Give the cookie a `Max-Age` equal to the absolute lifetime, so it survives a browser restart. Default `true`; `false` makes it a browser-session cookie. */
  persistentCookie?: boolean;
  /** Idle timeout: a session unused this long ends (sliding). Default 3 days. */
  idleTimeoutMs?: number;
  /** Absolute lifetime: a session ends this long after sign-in however active it is. Default 7 days. */
  absoluteTimeoutMs?: number;
  /** Minimum time between two writes of `last seen` / the idle expiry for one session. Default 60 000 (one minute). */
  touchIntervalMs?: number;
  /** Concurrent sessions per subject; signing in beyond it ends the oldest. Default 10. */
  maxSessionsPerSubject?: number;
  /** How long one instance trusts a cached session before re-reading it from the database. Default 300 000 (5 minutes); revocations invalidate at once regardless. */
  cacheTtlMs?: number;
  /** How long an unknown session id is remembered as unknown (no database read for it meanwhile); `0` turns it off. Default 5 000. */
  unknownSessionCacheMs?: number;
  /** Origins allowed to send unsafe cookie-authenticated requests (`scheme://host[:port]`). Default `[]`: only the request's own origin (Host + protocol). */
  allowedOrigins?: string[];
  /** Accept unsafe requests from sibling subdomains (`Sec-Fetch-Site: same-site`). Default `false`. */
  trustSameSite?: boolean;
  /** Refuse unsafe cookie-authenticated requests that carry no `Sec-Fetch-Site`, `Origin` or `Referer` at all. Default `false` (the CSRF token is still required). */
  requireOriginHeaders?: boolean;
  /** Request header carrying the CSRF token. Default `'x-csrf-token'`. */
  csrfHeader?: string;
  /** Media types accepted as bodies of unsafe cookie-authenticated requests; anything else is 415. Default `['application/json']`. */
  allowedContentTypes?: string[];
  /** How often expired sessions are purged from the table, in ms; 0 turns purging off. Default 3 600 000 (hourly). */
  purgeIntervalMs?: number;
  /** Rows deleted per purge statement, so a purge never holds long locks. Default 500. */
  purgeBatchSize?: number;
  /** Longest stored `User-Agent`, in characters. Default 512. */
  userAgentMaxLength?: number;
}

/** Every default of `SessionsModuleOptions`, each written here only. */
export const SESSIONS_DEFAULTS = {
  cookieName: '__Host-session',
  sameSite: 'Lax',
  persistentCookie: true,
  idleTimeoutMs: 3 * DAY,
  absoluteTimeoutMs: 7 * DAY,
  touchIntervalMs: MINUTE,
  maxSessionsPerSubject: 10,
  cacheTtlMs: 5 * MINUTE,
  unknownSessionCacheMs: 5_000,
  allowedOrigins: [],
  trustSameSite: false,
  requireOriginHeaders: false,
  csrfHeader: 'x-csrf-token',
  allowedContentTypes: ['application/json'],
  purgeIntervalMs: 60 * MINUTE,
  purgeBatchSize: 500,
  userAgentMaxLength: 512,
} satisfies Required<SessionsModuleOptions>;

/** Options with every default applied and origins normalised. */
export type ResolvedSessionsOptions = Readonly<Required<Omit<SessionsModuleOptions, 'allowedOrigins' | 'allowedContentTypes'>>> & {
  allowedOrigins: readonly string[];
  allowedContentTypes: readonly string[];
};

function fail(option: string, problem: string): never {
  throw new GatehouseConfigurationError('SessionsModule', option, problem);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) fail(name, 'must be a positive number');
  return value;
}

/** Applies the defaults in one place and rejects options that would weaken or break sessions. */
export function resolveSessionsOptions(options: SessionsModuleOptions = {}): ResolvedSessionsOptions {
  const given = withDefaults(SESSIONS_DEFAULTS, options);
  const absoluteTimeoutMs = positive('absoluteTimeoutMs', given.absoluteTimeoutMs);
  // Unless set, the idle timeout is the default capped by a shorter absolute lifetime.
  const idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs ?? Math.min(SESSIONS_DEFAULTS.idleTimeoutMs, absoluteTimeoutMs));
  if (idleTimeoutMs > absoluteTimeoutMs) fail('idleTimeoutMs', 'cannot exceed absoluteTimeoutMs');
  const { maxSessionsPerSubject, purgeBatchSize, purgeIntervalMs } = given;
  if (!Number.isInteger(maxSessionsPerSubject) || maxSessionsPerSubject < 1) {
    fail('maxSessionsPerSubject', 'must be a positive integer');
  }
  if (!Number.isInteger(purgeBatchSize) || purgeBatchSize < 1) fail('purgeBatchSize', 'must be a positive integer');
  if (!Number.isFinite(purgeIntervalMs) || purgeIntervalMs < 0) fail('purgeIntervalMs', 'must be 0 or positive');
  return {
    cookieName: given.cookieName,
    sameSite: given.sameSite,
    persistentCookie: given.persistentCookie,
    idleTimeoutMs,
    absoluteTimeoutMs,
    touchIntervalMs: positive('touchIntervalMs', given.touchIntervalMs),
    maxSessionsPerSubject,
    cacheTtlMs: positive('cacheTtlMs', given.cacheTtlMs),
    unknownSessionCacheMs: Math.max(0, given.unknownSessionCacheMs),
    allowedOrigins: normalizeAllowedOrigins(given.allowedOrigins, { module: 'SessionsModule', option: 'allowedOrigins' }),
    trustSameSite: given.trustSameSite,
    requireOriginHeaders: given.requireOriginHeaders,
    csrfHeader: given.csrfHeader.toLowerCase(),
    allowedContentTypes: given.allowedContentTypes.map((type) => type.trim().toLowerCase()),
    purgeIntervalMs,
    purgeBatchSize,
    userAgentMaxLength: positive('userAgentMaxLength', given.userAgentMaxLength),
  };
}
