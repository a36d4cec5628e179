import { Injectable } from '@nestjs/common';
import { AccessTokenIssuer } from './access-token.issuer.js';
import { RefreshFamilies, type RefreshGrant, type RefreshMeta } from './refresh-families.service.js';

/** An access token with its refresh token: what a sign-in or a refresh hands the client. */
export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  /** When the refresh token stops working at the latest, epoch ms (e.g. a cookie's lifetime). */
  refreshExpiresAt: number;
  scope: string;
  /** The refresh family, also the access token's `sid`. */
  familyId: string;
  /** True when a duplicate refresh within the leeway got the refresh token already issued. */
  replayed: boolean;
}

/** The RFC 6749 §5.1 JSON body of a token response. */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/** The RFC 6749 §5.1 body for `pair`; without the refresh token when it travels in a cookie. */
export function toTokenResponse(pair: TokenPair, includeRefreshToken = true): TokenResponseBody {
  return {
    access_token: pair.accessToken,
    token_type: pair.tokenType,
    expires_in: pair.expiresIn,
    ...(includeRefreshToken ? { refresh_token: pair.refreshToken } : {}),
    scope: pair.scope,
  };
}

/**
 * Sign-in and refresh as one call each: a refresh family plus an access token carrying its `sid`.
 *
 * @example const pair = await grants.signIn(account.id, account.scopes, { ip, userAgent }); return toTokenResponse(pair);
 */
@Injectable()
export class TokenGrants {
  constructor(
    private readonly families: RefreshFamilies,
    private readonly issuer: AccessTokenIssuer,
  ) {}

  /** Starts a refresh family for a subject who just authenticated. */
  async signIn(subject: string, scopes: readonly string[], meta: RefreshMeta = {}, audience?: string): Promise<TokenPair> {
    return this.pair(await this.families.start(subject, scopes, meta), audience);
  }

  /**
   * Rotates a refresh token; `scopes` narrows this access token (see `RefreshFamilies.rotate` for
   * the errors), `audience` (an RFC 8707 `resource` the caller checked) replaces the default `aud`.
   */
  async refresh(refreshToken: unknown, meta: RefreshMeta = {}, scopes?: readonly string[], audience?: string): Promise<TokenPair> {
    return this.pair(await this.families.rotate(refreshToken, meta, scopes), audience);
  }

  private async pair(grant: RefreshGrant, audience?: string): Promise<TokenPair> {
    const access = await this.issuer.issue({
      subject: grant.subject,
      scopes: grant.scopes,
      sessionId: grant.familyId,
      authTime: grant.authTime,
      ...(audience === undefined ? {} : { audience }),
    });
    return {
      accessToken: access.accessToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken: grant.refreshToken,
      refreshExpiresAt: grant.expiresAt,
      scope: access.scope,
      familyId: grant.familyId,
      replayed: grant.replayed,
    };
  }
}
