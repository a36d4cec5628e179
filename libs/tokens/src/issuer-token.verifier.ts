import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { Clock, GatehouseError, isScopeToken, parseScope, RevocationStore, type Principal, type PrincipalCredential } from '@gatehouse/core';
import type { ResolvedIssuerProfile, ResolvedIssuersOptions } from './issuer-profile.interface.js';
import { issuerSessionRevocationKey, issuerSubjectRevocationKey } from './issuer-revocation-keys.js';
import { ISSUERS_OPTIONS, JWT_MECHANISM } from './tokens.constants.js';
import { VerifiedTokenCache, type VerifiedToken } from './verified-token.cache.js';

/** A profile with its own remote key set and its own cache: nothing of one issuer serves another's tokens. */
interface Issuer {
  profile: ResolvedIssuerProfile;
  keys: JWTVerifyGetKey;
  cache: VerifiedTokenCache;
  toleranceMs: number;
  /** How long a revocation must be kept: the longest a token issued before it can still be accepted. */
  revocationTtlMs: number;
}

/** The JWKS could not be fetched or read: a fault of the key source, answered 503, not a bad token. */
class KeySourceUnavailable extends Error {
  override readonly name = 'KeySourceUnavailable';
}

const details = (): { mechanism: string } => ({ mechanism: JWT_MECHANISM });

/**
 * Verifies access tokens of the configured third-party identity providers with jose
 * (`createRemoteJWKSet` + `jwtVerify`): the token's `iss` picks the profile, and that profile alone
 * decides the key set, algorithms, audience, `typ`, clock tolerance, lifetime bound and where the
 * scopes are. A `kid` the cached JWKS lacks triggers one refetch, at most once per cooldown; an
 * unreachable JWKS is a 503 `service_unavailable`, never a 401.
 *
 * Like the app's own access tokens, a verified token is cached (per issuer, bounded, matched on the
 * whole token) until its `exp` plus the profile's clock tolerance, so repeating it costs no
 * signature check and no JWKS lookup; the revocation list is consulted on every call, cached or
 * not: `sub:<issuer> <sub>` (everything of that subject of that issuer issued at or before T) and
 * `sid:<issuer> <sid>` when the token carries `sid`. A key later removed from the JWKS does not
 * end the cached tokens it signed: revoke the subject to cut access before `exp`.
 */
@Injectable()
export class IssuerTokenVerifier {
  private readonly logger = new Logger('Gatehouse');
  private readonly issuers = new Map<string, Issuer>();

  constructor(
    @Inject(ISSUERS_OPTIONS) private readonly options: ResolvedIssuersOptions,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
  ) {
    for (const profile of options.issuers.values()) {
      const toleranceMs = profile.clockToleranceSeconds * 1000;
      this.issuers.set(profile.issuer, {
        profile,
        keys: remoteKeySet(profile, options),
        cache: new VerifiedTokenCache(options.verifiedTokenCacheSize),
        toleranceMs,
        revocationTtlMs: profile.maxLifetimeSeconds * 1000 + toleranceMs,
      });
    }
  }

  /** True when `issuer` is one of the configured providers. */
  handles(issuer: string): boolean {
    return this.issuers.has(issuer);
  }

  /** The `iss` of a token when it names a configured provider (read unverified, only to pick the profile). */
  issuerOf(token: string): string | undefined {
    if (token.length > this.options.maxTokenLength) return undefined;
    try {
      const { iss } = decodeJwt(token);
      return typeof iss === 'string' && this.issuers.has(iss) ? iss : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The principal of a valid, unrevoked token of a configured provider; a coded 401 (`invalid_token`,
   * `token_expired`, `token_revoked`), or 503 when its JWKS is unreachable or the revocation list
   * cannot be vouched for. `iss` is the token's issuer when the caller has read it already
   * (`issuerOf`); the signature check still compares it with the token's own claim.
   */
  async verify(token: string, iss: string | undefined = this.issuerOf(token)): Promise<Principal> {
    const issuer = iss === undefined ? undefined : this.issuers.get(iss);
    if (!issuer) throw new GatehouseError('invalid_token', details());
    const now = this.clock.now();
    const cached = issuer.cache.get(token);
    if (cached !== undefined) return this.admit(issuer, token, cached, now);
    let entry: VerifiedToken;
    try {
      const { profile } = issuer;
      this.checkType(profile, token);
      const { payload } = await jwtVerify(token, issuer.keys, {
        issuer: profile.issuer,
        audience: profile.audience,
        algorithms: profile.algorithms,
        clockTolerance: profile.clockToleranceSeconds,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'iat', ...(profile.requireJti ? ['jti'] : [])],
      });
      entry = this.entryFor(profile, payload, token);
    } catch (error) {
      throw this.refusal(error, issuer.profile);
    }
    issuer.cache.set(token, entry);
    return this.admit(issuer, token, entry, now);
  }

  /**
   * Refuses every token of `subject` from `issuer` issued at or before now, on every instance
   * sharing the revocation store; kept as long as such a token could still be accepted.
   */
  async revokeSubject(issuer: string, subject: string): Promise<void> {
    await this.revocations.revoke(issuerSubjectRevocationKey(issuer, subject), this.clock.now(), this.configured(issuer).revocationTtlMs);
  }

  /** Refuses every token of `issuer` carrying `sid: sessionId` (e.g. on an OIDC back-channel logout). */
  async revokeSession(issuer: string, sessionId: string): Promise<void> {
    await this.revocations.revoke(issuerSessionRevocationKey(issuer, sessionId), this.clock.now(), this.configured(issuer).revocationTtlMs);
  }

  /** Drops every cached verification (e.g. in tests). */
  clearCache(): void {
    for (const issuer of this.issuers.values()) issuer.cache.clear();
  }

  private configured(issuer: string): Issuer {
    const found = this.issuers.get(issuer);
    if (!found) throw new TypeError(`"${issuer}" is not an issuer configured in IssuersModule`);
    return found;
  }

  /** Expiry against the clock, then the revocation list: on every call, cached or just verified. */
  private admit(issuer: Issuer, token: string, entry: VerifiedToken, now: number): Principal {
    // The bound jose applies on a fresh verify (exp <= now - tolerance), so caching changes nothing.
    if (entry.expiresAt + issuer.toleranceMs <= now) {
      issuer.cache.delete(token);
      throw new GatehouseError('token_expired', details());
    }
    if (entry.sessionKey !== undefined && this.revocations.revokedAt(entry.sessionKey) !== undefined) {
      throw new GatehouseError('token_revoked', details());
    }
    const subjectRevokedAt = this.revocations.revokedAt(entry.subjectKey);
    // iat has whole seconds: a token issued in the second of a revocation counts as issued before it.
    if (subjectRevokedAt !== undefined && entry.issuedAt <= subjectRevokedAt) throw new GatehouseError('token_revoked', details());
    return entry.principal;
  }

  /** RFC 8725 §3.11: only the `typ` values the profile names; a missing `typ` counts as `JWT`. */
  private checkType(profile: ResolvedIssuerProfile, token: string): void {
    const { typ } = decodeProtectedHeader(token);
    const type = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : 'jwt';
    if (!profile.types.has(type)) throw new GatehouseError('invalid_token', details());
  }

  private entryFor(profile: ResolvedIssuerProfile, payload: JWTPayload, token: string): VerifiedToken {
    const { sub, exp, iat, jti, sid } = payload as { sub: unknown; exp: number; iat: number; jti?: unknown; sid?: unknown };
    if (typeof sub !== 'string' || sub === '' || (jti !== undefined && typeof jti !== 'string')) throw new GatehouseError('invalid_token', details());
    if (sid !== undefined && (typeof sid !== 'string' || sid === '')) throw new GatehouseError('invalid_token', details());
    if (exp - iat > profile.maxLifetimeSeconds) throw new GatehouseError('invalid_token', details());
    const scopes = scopesOf(payload[profile.scopeClaim]);
    const roles = profile.rolesClaim ? scopesOf(claimAt(payload, profile.rolesClaim)) : undefined;
    if (!scopes || (profile.rolesClaim && !roles)) throw new GatehouseError('invalid_token', details());
    const credential: PrincipalCredential = { mechanism: JWT_MECHANISM, id: jti ?? tokenId(token), expiresAt: exp * 1000 };
    const principal: Principal = Object.freeze({
      kind: isServiceToken(payload, sub) ? 'service' : 'user',
      subject: sub,
      scopes: Object.freeze(scopes),
      credential: Object.freeze(credential),
      // The payload was parsed for this token alone: frozen in place, not copied.
      claims: Object.freeze(payload),
      ...(roles ? { roles: Object.freeze(roles) } : {}),
    });
    return {
      principal,
      expiresAt: exp * 1000,
      issuedAt: iat * 1000,
      sessionKey: sid === undefined ? undefined : issuerSessionRevocationKey(profile.issuer, sid),
      subjectKey: issuerSubjectRevocationKey(profile.issuer, sub),
    };
  }

  private refusal(error: unknown, profile: ResolvedIssuerProfile): GatehouseError {
    if (error instanceof GatehouseError) return error;
    if (error instanceof errors.JWTExpired) return new GatehouseError('token_expired', details(), { cause: error });
    if (error instanceof KeySourceUnavailable) {
      this.logger.warn(`Cannot use the JWKS of ${profile.jwksUrl.origin}: ${error.message}`);
      return new GatehouseError('service_unavailable', { ...details(), retryAfter: 5 }, { cause: error });
    }
    return new GatehouseError('invalid_token', details(), { cause: error });
  }
}

/** Scopes from a space-separated string or an array of strings; undefined for any other shape. Absent: none. */
function scopesOf(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? parseScope(value) : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) return undefined;
  return (list as string[]).filter(isScopeToken);
}

function claimAt(payload: JWTPayload, path: readonly string[]): unknown {
  let current: unknown = payload;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Client-credentials tokens as Auth0 (`gty`), Entra ID (`idtyp`) and RFC 9068 (`sub` = `client_id`) mark them. */
function isServiceToken(payload: JWTPayload, sub: string): boolean {
  return payload.gty === 'client-credentials' || payload.idtyp === 'app' || sub === payload.client_id;
}

/** A stable, non-reversible id for a token without `jti`. */
function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

function remoteKeySet(profile: ResolvedIssuerProfile, options: ResolvedIssuersOptions): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(profile.jwksUrl, {
    timeoutDuration: options.jwksTimeoutMs,
    cooldownDuration: options.jwksCooldownMs,
    cacheMaxAge: options.jwksCacheMaxAgeMs,
  });
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) {
        throw error;
      }
      throw new KeySourceUnavailable((error as Error)?.message ?? 'unknown error', { cause: error });
    }
  };
}
