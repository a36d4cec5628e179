import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { Clock, GatehouseError, RevocationStore, type Principal, type PrincipalCredential } from '@gatehouse/core';
import { checkAccessTokenClaims, type AccessTokenClaimRules } from './access-token.claims.js';
import { checkJwsStructure, isStructuralReason, precheckJws, structuralRejection, TokenRejection, type TokenRejectionReason } from './jws-precheck.js';
import { verifyJwsSignature } from './jws-signature.js';
import { KeyRing } from './key-ring.js';
import { ACCESS_TOKEN_LIFETIME_BOUNDS, type ResolvedTokensOptions } from './resolve-tokens-options.js';
import { ACCESS_TOKEN_TYPE, JWT_MECHANISM, KIND_CLAIM, sessionRevocationKey, subjectRevocationKey, tokenRevocationKey, TOKENS_OPTIONS } from './tokens.constants.js';
import { VerifiedTokenCache, type VerifiedToken } from './verified-token.cache.js';

const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'scope'];
/** Distinct `scope` claims whose lists are shared before the table starts over. */
const MAX_SCOPE_LISTS = 1_000;

/** Error details, fresh each time: the guard adds its challenge header to them. */
const details = (): { mechanism: string } => ({ mechanism: JWT_MECHANISM });

/**
 * Verifies bearer access tokens: structure and header first (`precheckJws`), then the signature
 * against a key of our ring, with the algorithm pinned to that key, exact `iss` and `aud`,
 * `typ: at+jwt`, required claims and a bounded clock skew. Keys of the ring are checked
 * synchronously with `node:crypto` (`verifyJwsSignature`, then jose's claim rules in
 * `checkAccessTokenClaims`); a configured JWKS URL goes through jose's `jwtVerify` and remote key
 * set. A verified token is cached until `exp`, so repeating it costs a `Map` lookup; revocation
 * (its `sid`, and "everything of this subject issued until T") is checked on every call, hit or miss.
 *
 * Throws `GatehouseError` `invalid_token`, `token_expired` or `token_revoked` (401), or
 * `service_unavailable` when a remote JWKS cannot be fetched.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger = new Logger('AccessTokenVerifier');
  private readonly cache: VerifiedTokenCache;
  private readonly remoteKeys: JWTVerifyGetKey | undefined;
  private readonly toleranceMs: number;
  private readonly claimRules: AccessTokenClaimRules;
  /** Frozen scope lists by `scope` claim: most tokens share a few, so each cached token needs no copy of its own. */
  private readonly scopeLists = new Map<string, readonly string[]>();

  constructor(
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    private readonly keyRing: KeyRing,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
  ) {
    this.cache = new VerifiedTokenCache(options.verifiedTokenCacheSize);
    this.toleranceMs = options.clockToleranceMs;
    this.remoteKeys = options.jwksUrl ? remoteKeySet(options) : undefined;
    this.claimRules = {
      issuer: options.issuer,
      audiences: options.acceptedAudiences,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: REQUIRED_CLAIMS,
      toleranceSeconds: this.toleranceMs / 1000,
      maxTokenAgeSeconds: ACCESS_TOKEN_LIFETIME_BOUNDS.max / 1000,
    };
    // A key that stops verifying takes its cached tokens with it.
    keyRing.onChange((removedKid) => {
      if (removedKid !== undefined) this.cache.clear();
    });
  }

  /**
   * The principal of a valid, unrevoked access token. Synchronous when the token is cached (the
   * hot path: one `Map` lookup, one clock read, two revocation lookups) or signed by a key of the
   * ring (one `crypto.verify`); a promise only against a remote JWKS.
   */
  verify(token: string): Principal | Promise<Principal> {
    const checked = this.check(token);
    if (checked instanceof GatehouseError) throw checked;
    return checked;
  }

  /**
   * `verify` for the guard's hot path: a first-seen token of the ring that is refused (garbage, a
   * bad signature, wrong claims) is returned as its 401 rather than thrown, since an attacker
   * chooses how often that happens; a cached token's expiry or revocation, and every refusal in
   * resource-server mode, still throw (or reject).
   */
  check(token: string): Principal | Promise<Principal> | GatehouseError {
    const cached = this.cache.get(token);
    if (cached !== undefined) return this.admit(cached, this.clock.now());
    return this.remoteKeys ? this.verifyRemote(token, this.remoteKeys) : this.verifyLocal(token);
  }

  /** Drops every cached verification (e.g. in tests, or after changing keys by hand). */
  clearCache(): void {
    this.cache.clear();
  }

  private admit(entry: VerifiedToken, now: number): Principal {
    if (entry.expiresAt + this.toleranceMs <= now) throw new GatehouseError('token_expired', details());
    if (entry.sessionKey !== undefined && this.revocations.revokedAt(entry.sessionKey) !== undefined) {
      throw new GatehouseError('token_revoked', details());
    }
    if (entry.tokenKey !== undefined && this.revocations.revokedAt(entry.tokenKey) !== undefined) throw new GatehouseError('token_revoked', details());
    const subjectRevokedAt = this.revocations.revokedAt(entry.subjectKey);
    // iat has whole-second precision: a token issued in the second of a revocation counts as
    // issued before it (the issuer moves iat past a known revocation; see AccessTokenIssuer).
    if (subjectRevokedAt !== undefined && entry.issuedAt <= subjectRevokedAt) throw new GatehouseError('token_revoked', details());
    return entry.principal;
  }

  /** A token signed by a key of the ring: every check synchronous, nothing awaited. */
  private verifyLocal(token: string): Principal | GatehouseError {
    const now = this.clock.now();
    const checked = checkJwsStructure(token, this.options.maxTokenLength);
    // Garbage is refused without an exception anywhere on its way.
    if (typeof checked === 'string') return new GatehouseError('invalid_token', details(), { cause: structuralRejection(checked), malformed: true });
    let entry: VerifiedToken;
    try {
      const { alg, kid, header, claims, signingInputEnd } = checked;
      const key = this.keyRing.find(kid);
      // Refusals an attacker can mint at will are returned, not thrown.
      if (!key) return this.refusal(new TokenRejection('unknown_kid'));
      // Each key is used with exactly one algorithm (RFC 8725 §3.1): `Ed25519` or `ES256` on an EdDSA key is refused.
      if (alg !== key.alg) return this.refusal(new TokenRejection('algorithm_not_allowed'));
      if (!verifyJwsSignature(key.alg, key.publicKey, token, signingInputEnd)) return this.refusal(new TokenRejection('verification_failed'));
      checkAccessTokenClaims(header, claims, this.claimRules, now);
      entry = this.entryFor(claims);
    } catch (error) {
      return this.refusal(error);
    }
    this.cache.set(token, entry);
    return this.admit(entry, now);
  }

  /** Resource-server mode: jose's `jwtVerify` against the configured JWKS URL. */
  private async verifyRemote(token: string, keys: JWTVerifyGetKey): Promise<Principal> {
    let payload: JWTPayload;
    const now = this.clock.now();
    try {
      const { alg } = precheckJws(token, this.options.maxTokenLength);
      if (!this.options.remoteAlgorithms.includes(alg as never)) throw new TokenRejection('algorithm_not_allowed');
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...this.options.remoteAlgorithms],
        issuer: this.options.issuer,
        audience: this.options.acceptedAudiences as string[],
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: this.claimRules.toleranceSeconds,
        maxTokenAge: this.claimRules.maxTokenAgeSeconds,
        currentDate: new Date(now),
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    const entry = this.entryFor(payload);
    this.cache.set(token, entry);
    return this.admit(entry, now);
  }

  private entryFor(payload: Record<string, unknown>): VerifiedToken {
    const { sub, jti, scope, sid, client_id: clientId, auth_time: authTime, exp, iat, [KIND_CLAIM]: kindClaim } = payload;
    if (
      typeof sub !== 'string' || sub === '' ||
      typeof jti !== 'string' || jti === '' ||
      typeof scope !== 'string' ||
      (sid !== undefined && (typeof sid !== 'string' || sid === '')) ||
      (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) ||
      (authTime !== undefined && typeof authTime !== 'number') ||
      typeof exp !== 'number' || typeof iat !== 'number' ||
      (kindClaim !== undefined && kindClaim !== 'user' && kindClaim !== 'service')
    ) {
      throw this.refusal(new TokenRejection('invalid_claims'));
    }
    const credential: PrincipalCredential = { mechanism: JWT_MECHANISM, id: jti, expiresAt: exp * 1000 };
    if (sid !== undefined) credential.sessionId = sid;
    if (authTime !== undefined) credential.authTime = authTime * 1000;
    // The `kind` claim decides; tokens minted before it existed were service tokens iff they had a client_id.
    const kind = kindClaim ?? (clientId === undefined ? 'user' : 'service');
    const principal: Principal = Object.freeze({
      kind,
      subject: sub,
      scopes: this.scopeList(scope),
      credential: Object.freeze(credential),
      // The payload was parsed for this token alone: frozen in place, not copied.
      claims: Object.freeze(payload),
    });
    return {
      principal,
      expiresAt: exp * 1000,
      issuedAt: iat * 1000,
      sessionKey: sid === undefined ? undefined : sessionRevocationKey(sid),
      subjectKey: subjectRevocationKey(sub),
      tokenKey: kind === 'service' ? tokenRevocationKey(jti) : undefined,
    };
  }

  private scopeList(scope: string): readonly string[] {
    let list = this.scopeLists.get(scope);
    if (list === undefined) {
      list = Object.freeze(scope.split(' ').filter(Boolean));
      if (this.scopeLists.size >= MAX_SCOPE_LISTS) this.scopeLists.clear();
      this.scopeLists.set(scope, list);
    }
    return list;
  }

  private refusal(error: unknown): GatehouseError {
    if (error instanceof GatehouseError) return error;
    if (error instanceof errors.JWTExpired) return new GatehouseError('token_expired', details(), { cause: error });
    if (error instanceof KeySourceUnavailable) {
      this.logger.warn(`Cannot use the JWKS from ${this.options.jwksUrl?.origin}: ${error.message}`);
      return new GatehouseError('service_unavailable', details(), { cause: error });
    }
    const cause = error instanceof TokenRejection ? error : new TokenRejection(joseReason(error), { cause: error });
    return new GatehouseError('invalid_token', details(), { cause, malformed: isStructuralReason(cause.reason) });
  }
}

function joseReason(error: unknown): TokenRejectionReason {
  if (!(error instanceof errors.JWTClaimValidationFailed)) return 'verification_failed';
  return error.claim === 'typ' ? 'wrong_type' : 'invalid_claims';
}

/** The remote key set could not be fetched or read: a fault of the key source, not of the token. */
class KeySourceUnavailable extends Error {
  override readonly name = 'KeySourceUnavailable';
}

/**
 * jose's remote JWKS (fetched only from the configured URL, never from a token's `jku`/`x5u`),
 * with fetch failures told apart from tokens whose `kid` matches no published key.
 */
function remoteKeySet(options: ResolvedTokensOptions): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(options.jwksUrl as URL, {
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
