import { Controller, Header, HttpCode, Post, Req, Res, SetMetadata, UseFilters } from '@nestjs/common';
import { GatehouseError, Public, SignIn, type GatehouseRequest } from '@gatehouse/core';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { readOAuthParameters } from './oauth-parameters.js';
import { SIGN_IN_ROUTE, TokenEndpointContext } from './token-endpoint.context.js';
import { TokenGrants, type TokenResponseBody } from './token-grants.service.js';

const MAX_EMAIL = 254;
const MAX_PASSWORD = 1024;

/**
 * Password sign-in: `{email, password, delivery?}` (JSON or form) → `{access_token, token_type,
 * expires_in, refresh_token, scope}`. The app's `GatehouseAccounts` checks the password through
 * core's `SignIn` (which also throttles). `delivery: "cookie"` puts the refresh token in the
 * `__Secure-` cookie instead, and, since that sets an ambient credential, only for requests from
 * an allowed origin (a cross-site form must not sign the victim into the attacker's account).
 */
@Public()
@Controller()
@UseFilters(OAuthErrorFilter)
export class SignInController {
  constructor(
    private readonly signIn: SignIn,
    private readonly grants: TokenGrants,
    private readonly context: TokenEndpointContext,
  ) {}

  @Post()
  @SetMetadata(SIGN_IN_ROUTE, true)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(@Req() request: GatehouseRequest & { body?: unknown }, @Res({ passthrough: true }) response: unknown): Promise<TokenResponseBody> {
    const { email, password, delivery: wanted, resource } = readOAuthParameters(request.body, ['email', 'password', 'delivery', 'resource']);
    const delivery = this.context.delivery(wanted);
    if (delivery === 'cookie') this.context.checkCookieOrigin(request, response);
    if (email === undefined || password === undefined || email.length > MAX_EMAIL || password.length > MAX_PASSWORD) {
      throw new GatehouseError('invalid_request', { message: 'Send email and password.' });
    }
    const audience = this.context.audience(resource);
    const meta = this.context.meta(request);
    const account = await this.signIn.verify({ email, password }, { ip: meta.ip, userAgent: meta.userAgent });
    const pair = await this.grants.signIn(account.subject, account.scopes, meta, audience);
    return this.context.respond(pair, delivery, response);
  }
}
