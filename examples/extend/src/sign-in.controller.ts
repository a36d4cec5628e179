import { Body, Controller, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { GatehouseError, Public, readHeader, SignIn, type GatehouseRequest } from '@gatehouse/core';
import { SessionCookie, SessionService, sessionMetaFrom } from '@gatehouse/sessions';
import { TokenGrants, toTokenResponse } from '@gatehouse/tokens';

interface Credentials {
  email?: unknown;
  password?: unknown;
}

const credentialsOf = (body: Credentials | undefined): { email: string; password: string } => {
  if (typeof body?.email !== 'string' || typeof body.password !== 'string') throw new GatehouseError('validation_failed');
  return { email: body.email, password: body.password };
};

/**
 * Hands out the app's own credentials through the libraries' services: a bearer token pair and a
 * session cookie. Every password sign-in goes through `SignIn`.
 */
@Controller()
export class SignInController {
  constructor(
    private readonly signIn: SignIn,
    private readonly grants: TokenGrants,
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
  ) {}

  /** `POST /auth/token` `{email, password}` → `{access_token, refresh_token, …}`. */
  @Public()
  @Post('auth/token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async token(@Body() body: Credentials, @Req() request: GatehouseRequest) {
    const meta = { ip: request.ip, userAgent: readHeader(request, 'user-agent') };
    const account = await this.signIn.verify(credentialsOf(body), meta);
    return toTokenResponse(await this.grants.signIn(account.subject, account.scopes, meta));
  }

  /** `POST /auth/login` `{email, password}` → 200 `{csrfToken}` and the session cookie. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Body() body: Credentials, @Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown) {
    const meta = sessionMetaFrom(request);
    const account = await this.signIn.verify(credentialsOf(body), { ip: meta.ip, userAgent: meta.userAgent });
    const issued = await this.sessions.login(account.subject, account.scopes, meta, this.cookie.readAll(request));
    this.cookie.write(response, issued);
    return { csrfToken: issued.csrfToken };
  }
}
