import { Body, Controller, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { appendVary, GatehouseError, Public, readHeader, SignIn, type GatehouseRequest } from '@gatehouse/core';
import {
  AccessTokenVerifier,
  isRefreshTokenFormat,
  RefreshCookie,
  RefreshFamilies,
  TokenGrants,
  toTokenResponse,
  type RefreshMeta,
  type TokenPair,
  type TokenResponseBody,
} from '@gatehouse/tokens';
import { LoginRateLimit } from '../rate-limits/login-rate-limit.decorator.js';
import { RefreshRequestDto, RevokeRequestDto, TokenRequestDto } from './token-requests.dto.js';

const metaOf = (request: GatehouseRequest): RefreshMeta => ({ ip: request.ip, userAgent: readHeader(request, 'user-agent') });

/**
 * The token endpoints: sign-in with a password for an access + refresh token pair, refresh
 * (token in the body, or the HttpOnly cookie for web clients that asked for `delivery: "cookie"`),
 * and RFC 7009 revocation. Token responses are never cached (RFC 6749 §5.1).
 */
@Public()
@Controller('auth')
export class TokensController {
  constructor(
    private readonly signIn: SignIn,
    private readonly grants: TokenGrants,
    private readonly families: RefreshFamilies,
    private readonly cookie: RefreshCookie,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  /** `POST /auth/token` `{email, password, delivery?}` → `{access_token, token_type, expires_in, refresh_token, scope}`. */
  @LoginRateLimit()
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(@Body() body: TokenRequestDto, @Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown): Promise<TokenResponseBody> {
    const account = await this.signIn.verify({ email: body.email, password: body.password }, { ip: request.ip, userAgent: readHeader(request, 'user-agent') });
    const pair = await this.grants.signIn(account.subject, account.scopes, metaOf(request));
    return this.respond(pair, body.delivery === 'cookie', response);
  }

  /**
   * `POST /auth/refresh` `{refresh_token}` (or form-encoded with `grant_type=refresh_token`, or no
   * token and the refresh cookie) → a new pair. Failures: 400 `invalid_grant`, 401
   * `refresh_token_reused` (the family is now revoked), 409 `refresh_in_progress`.
   */
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async refresh(@Body() body: RefreshRequestDto, @Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown): Promise<TokenResponseBody> {
    if (body.grant_type !== undefined && body.grant_type !== 'refresh_token') throw new GatehouseError('unsupported_grant_type');
    const fromCookie = body.refresh_token === undefined;
    const token = fromCookie ? this.readCookie(request, response) : body.refresh_token;
    if (token === undefined) throw new GatehouseError('invalid_request', { message: 'Send refresh_token in the body, or the refresh cookie.' });
    const scopes = body.scope === undefined ? undefined : body.scope.split(' ').filter(Boolean);
    let pair: TokenPair;
    try {
      pair = await this.grants.refresh(token, metaOf(request), scopes);
    } catch (error) {
      // A dead cookie is deleted; a retry-later answer keeps it.
      if (fromCookie && error instanceof GatehouseError && error.code !== 'refresh_in_progress') this.cookie.clear(response);
      throw error;
    }
    return this.respond(pair, fromCookie || body.delivery === 'cookie', response);
  }

  /** `POST /auth/refresh/revoke` → 204: web sign-out with the refresh cookie (its family is revoked, the cookie deleted). */
  @Post('refresh/revoke')
  @HttpCode(204)
  async revokeCookie(@Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown): Promise<void> {
    const token = this.readCookie(request, response);
    if (token !== undefined) await this.families.revokeToken(token, 'logout');
    this.cookie.clear(response);
  }

  /**
   * `POST /auth/revoke` `{token, token_type_hint?}` (RFC 7009) → 200 `{}` whatever the token was.
   * A refresh token revokes its family; a valid access token revokes the family it was issued
   * from (its `sid`), i.e. the whole sign-in; anything else is ignored.
   */
  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Body() body: RevokeRequestDto): Promise<Record<string, never>> {
    if (isRefreshTokenFormat(body.token)) {
      await this.families.revokeToken(body.token);
      return {};
    }
    try {
      const principal = await this.verifier.verify(body.token);
      const familyId = principal.credential.sessionId;
      if (principal.kind === 'user' && familyId) await this.families.revokeFamily(familyId, 'revoked_by_client', principal.subject);
    } catch (error) {
      // RFC 7009 §2.2: an invalid token is not an error; anything else is.
      if (!(error instanceof GatehouseError) || error.status !== 401) throw error;
    }
    return {};
  }

  /** The refresh cookie, after the CSRF origin check it needs as an ambient credential. */
  private readCookie(request: GatehouseRequest, response: unknown): string | undefined {
    const token = this.cookie.read(request);
    if (token === undefined) return undefined;
    appendVary(response);
    this.cookie.checkOrigin(request);
    return token;
  }

  private respond(pair: TokenPair, cookie: boolean, response: unknown): TokenResponseBody {
    if (cookie) this.cookie.write(response, pair.refreshToken, pair.refreshExpiresAt);
    return toTokenResponse(pair, !cookie);
  }
}
