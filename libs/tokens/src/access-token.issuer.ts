import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { Clock, RevocationStore } from '@gatehouse/core';
import { KeyRing } from './key-ring.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { ACCESS_TOKEN_TYPE, KIND_CLAIM, subjectRevocationKey, TOKENS_OPTIONS } from './tokens.constants.js';

/** What to put in an access token. */
export interface AccessTokenInput {
  /** `sub`: the user id, or for service tokens the id the issuer knows the client by. */
  subject: string;
  /** Granted scopes (RFC 6749 §3.3 scope tokens), joined into the `scope` claim. */
  scopes: readonly string[];
  /** `aud`; default the module's `audience`. Callers taking it from a request must check it against an allowlist first. */
  audience?: string;
  /** `sid`: the refresh family or session the token belongs to; revoking it revokes the token. */
  sessionId?: string;
  /** `client_id` (RFC 9068 §2.2): for service tokens the client (e.g. the API key id); default for user tokens the module's `clientId`. */
  clientId?: string;
  /** The `kind` claim; `'service'` needs `clientId`. Default `'user'`. */
  kind?: 'user' | 'service';
  /** Lifetime in seconds, at most the module's access-token lifetime. Default: that lifetime. */
  lifetimeSeconds?: number;
  /** `auth_time`: when the subject last authenticated (epoch ms), if known. */
  authTime?: number;
}

/** An issued access token, with what an OAuth token response needs. */
export interface IssuedAccessToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
  jti: string;
  /** The granted scopes, space-separated. */
  scope: string;
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Signs access tokens (RFC 9068 `at+jwt`) with the key ring's active key: claims `iss sub aud exp
 * iat jti scope client_id kind`, plus `sid` and `auth_time` when given; header `alg`, `kid`, `typ`.
 *
 * @example const { accessToken } = await issuer.issue({ subject: user.id, scopes: ['orders:read'], sessionId: family.id });
 */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    private readonly keyRing: KeyRing,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
  ) {}

  async issue(input: AccessTokenInput): Promise<IssuedAccessToken> {
    const maxLifetime = this.options.accessTokenLifetimeMs / 1000;
    const lifetime = input.lifetimeSeconds ?? maxLifetime;
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > maxLifetime) {
      throw new TypeError(`lifetimeSeconds must be an integer between 1 and ${maxLifetime}`);
    }
    if (typeof input.subject !== 'string' || input.subject === '' || input.subject.length > 255) throw new TypeError('subject must be 1–255 characters');
    const scopes = [...new Set(input.scopes)];
    if (scopes.some((scope) => typeof scope !== 'string' || !SCOPE_TOKEN.test(scope))) throw new TypeError('scopes must be RFC 6749 scope tokens');
    const kind = input.kind ?? 'user';
    if (kind !== 'user' && kind !== 'service') throw new TypeError('kind must be "user" or "service"');
    if (kind === 'service' && !input.clientId) throw new TypeError('a service token needs a clientId');
    const clientId = input.clientId ?? this.options.clientId;
    const audience = input.audience ?? this.options.audience;
    if (typeof audience !== 'string' || audience === '') throw new TypeError('audience must be a non-empty string');

    const key = this.keyRing.active();
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    // A token issued in the same second as "revoke everything of this subject" would have an iat
    // that cannot be told apart from the tokens it revoked: start it in the next second instead.
    const revokedAt = this.revocations.revokedAt(subjectRevocationKey(input.subject));
    const iat = revokedAt !== undefined && nowSeconds * 1000 <= revokedAt ? Math.floor(revokedAt / 1000) + 1 : nowSeconds;
    const jti = randomBytes(16).toString('base64url');
    const scope = scopes.join(' ');
    const claims: Record<string, string | number> = { iss: this.options.issuer, sub: input.subject, aud: audience, exp: iat + lifetime, iat, jti, scope };
    if (input.sessionId !== undefined) claims.sid = input.sessionId;
    claims.client_id = clientId;
    claims[KIND_CLAIM] = kind;
    if (input.authTime !== undefined) claims.auth_time = Math.floor(input.authTime / 1000);
    const accessToken = await new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE }).sign(key.privateKey);
    return { accessToken, expiresIn: lifetime, jti, scope };
  }
}
