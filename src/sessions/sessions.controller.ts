import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { AuthStrategies, Clock, CurrentPrincipal, GatehouseError, Public, readHeader, SignIn, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { OriginCheckGuard, RequireRecentAuth, SessionCookie, SessionService, sessionMetaFrom } from '@gatehouse/sessions';
import { AccountsService } from '../accounts/accounts.service.js';
import { LoginDto } from '../accounts/register.dto.js';
import { ChangePasswordDto } from './change-password.dto.js';
import { SignedInDevices, type DeviceView } from './signed-in-devices.js';

/** How recently a user must have signed in to change their password (ASVS v5.0.0 7.5.1). */
export const PASSWORD_CHANGE_MAX_AUTH_AGE_SECONDS = 300;

/** Cookie sessions of the demo: login, logout, CSRF token, device list and password change. */
@Controller('auth')
export class SessionsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly signIn: SignIn,
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
    private readonly devices: SignedInDevices,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * `POST /auth/login` `{email, password}` → 200 `{csrfToken}` and a new session cookie. Same-origin
   * JSON only (login CSRF); any session cookie sent along is ended, never adopted.
   */
  @Public()
  @UseGuards(OriginCheckGuard)
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Body() body: LoginDto, @Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown): Promise<{ csrfToken: string }> {
    const account = await this.signIn.verify(body, { ip: request.ip, userAgent: readHeader(request, 'user-agent') });
    const issued = await this.sessions.login(account.subject, account.scopes, sessionMetaFrom(request), this.cookie.readAll(request));
    this.cookie.write(response, issued);
    return { csrfToken: issued.csrfToken };
  }

  /** `POST /auth/logout` → 204: the session is deleted server-side and the cookie cleared. */
  @AuthStrategies('session')
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: unknown): Promise<void> {
    await this.sessions.destroy(principal.credential.id);
    this.cookie.clear(response);
  }

  /** `GET /auth/csrf` → `{csrfToken}` of the current session (the same one login returned). */
  @AuthStrategies('session')
  @Get('csrf')
  @Header('Cache-Control', 'no-store')
  csrf(@Req() request: GatehouseRequest): { csrfToken: string } {
    const found = this.cookie.read(request);
    // The guard accepted exactly one session cookie, so this holds; anything else is a 401.
    if (found.state !== 'present') throw new GatehouseError('invalid_session', { mechanism: 'session' });
    return { csrfToken: this.sessions.csrfToken(found.secret) };
  }

  /** `GET /auth/sessions`: the caller's sessions and refresh families, never a secret. */
  @Get('sessions')
  @Header('Cache-Control', 'no-store')
  list(@CurrentPrincipal() principal: Principal): Promise<DeviceView[]> {
    return this.devices.list(principal);
  }

  /** `DELETE /auth/sessions/:id` → 204; 404 when no session or family of the caller has that id. */
  @Delete('sessions/:id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res({ passthrough: true }) response: unknown): Promise<void> {
    if (!(await this.devices.revoke(principal.subject, id))) throw new GatehouseError('not_found');
    if (principal.credential.mechanism === 'session' && principal.credential.id === id) this.cookie.clear(response);
  }

  /** `POST /auth/sessions/revoke-others` → `{revoked}`: every session and refresh family but the caller's own. */
  @Post('sessions/revoke-others')
  @HttpCode(200)
  async revokeOthers(@CurrentPrincipal() principal: Principal): Promise<{ revoked: number }> {
    return { revoked: await this.devices.revokeOthers(principal) };
  }

  /**
   * `POST /auth/password` `{currentPassword, newPassword}` (signed in within 5 minutes): changes the
   * password, gives a cookie caller a new session (new id and CSRF token), and ends every other
   * session and every refresh family of the user.
   */
  @RequireRecentAuth(PASSWORD_CHANGE_MAX_AUTH_AGE_SECONDS)
  @Post('password')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<{ csrfToken?: string }> {
    if ((await this.accounts.changePassword(principal.subject, body.currentPassword, body.newPassword)) === 'current_password_incorrect') {
      throw new GatehouseError('current_password_incorrect');
    }
    let keep: string | undefined;
    let csrfToken: string | undefined;
    if (principal.credential.mechanism === 'session') {
      // The user just proved the current password again: a fresh session with a fresh auth time.
      const issued = await this.sessions.rotate(principal.credential.id, { authTime: this.clock.now() });
      this.cookie.write(response, issued);
      keep = issued.id;
      csrfToken = issued.csrfToken;
    }
    await this.devices.revokeEverywhereElse(principal.subject, keep);
    return csrfToken ? { csrfToken } : {};
  }
}
