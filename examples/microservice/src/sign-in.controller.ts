import { createHash, timingSafeEqual } from 'node:crypto';
import { Body, Controller, Delete, Header, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CurrentPrincipal, GatehouseError, Public, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { ApiKeysService } from '@gatehouse/api-keys';
import { OriginCheckGuard, SessionCookie, SessionService, sessionMetaFrom } from '@gatehouse/sessions';
import { TokenGrants } from '@gatehouse/tokens';

/** The example's one account: subject `ada`, who may read orders (and not write them). */
const SUBJECT = 'ada';
const SCOPES = ['orders:read'];

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Hands out the three credentials through the libraries' services, for the one account. */
@Controller()
export class SignInController {
  private readonly password = digest(process.env.EXAMPLE_PASSWORD ?? '');

  constructor(
    private readonly grants: TokenGrants,
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** `POST /auth/token` `{password}` → a bearer token pair. */
  @Public()
  @Post('auth/token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async token(@Body() body: { password?: unknown }) {
    this.verify(body);
    const pair = await this.grants.signIn(SUBJECT, SCOPES);
    return { access_token: pair.accessToken, token_type: 'Bearer', expires_in: pair.expiresIn, refresh_token: pair.refreshToken, scope: pair.scope };
  }

  /** `POST /auth/login` `{password}` → the session cookie and its CSRF token. */
  @Public()
  @UseGuards(OriginCheckGuard)
  @Post('auth/login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Body() body: { password?: unknown }, @Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown) {
    this.verify(body);
    const issued = await this.sessions.login(SUBJECT, SCOPES, sessionMetaFrom(request), this.cookie.readAll(request));
    this.cookie.write(response, issued);
    return { csrfToken: issued.csrfToken };
  }

  /** `POST /api-keys` `{name, scopes}` (signed in) → the key, shown once. */
  @Post('api-keys')
  @Header('Cache-Control', 'no-store')
  createApiKey(@CurrentPrincipal() principal: Principal, @Body() body: { name: string; scopes: string[] }) {
    return this.apiKeys.create(principal, { name: body.name, scopes: body.scopes });
  }

  /** `DELETE /api-keys/:id` (signed in) → the key stops working at once, on HTTP and RPC alike. */
  @Delete('api-keys/:id')
  revokeApiKey(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.apiKeys.revoke(principal, id);
  }

  private verify(body: { password?: unknown } | undefined): void {
    if (typeof body?.password !== 'string' || !timingSafeEqual(digest(body.password), this.password)) throw new GatehouseError('invalid_credentials');
  }
}
