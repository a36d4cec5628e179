import { Body, Header, HttpCode, Inject, Injectable, Param, Req, Res, UseGuards } from '@nestjs/common';
import {
  AccountOwnerGuard,
  AuthStrategies,
  Clock,
  CurrentPrincipal,
  GatehouseError,
  Public,
  SignIn,
  SignInRoute,
  type GatehouseRequest,
  type Principal,
} from '@gatehouse/core';
import { AccountApiKeys, type ApiKeysAfterPasswordChange } from './account-api-keys.js';
import { OriginCheckGuard } from './origin-check.guard.js';
import { RequireRecentAuth } from './require-recent-auth.decorator.js';
import { readPasswordChange, readSignIn } from './session-endpoints-input.js';
import { SESSION_ENDPOINTS_OPTIONS } from './session-endpoints.constants.js';
import type { ResolvedSessionEndpointsOptions } from './session-endpoints-options.interface.js';
import { sessionMetaFrom } from './session-meta.js';
import { SessionCookie } from './session-cookie.js';
import { SessionService } from './session.service.js';
import { SignedInDevices, type DeviceView } from './signed-in-devices.js';

/** How recently a user must have signed in to change their password (ASVS v5.0.0 7.5.1). */
export const PASSWORD_CHANGE_MAX_AUTH_AGE_SECONDS = 300;

/** What `POST /auth/password` answers. */
export interface PasswordChangeResponse extends ApiKeysAfterPasswordChange {
  /** The new session's CSRF token, when the caller came with a session cookie. */
  csrfToken?: string;
}

/**
 * The session endpoints' handlers. Routes are attached by `SessionEndpointsModule` (paths are
 * options, each endpoint can be left out); everything else about each endpoint is declared here.
 */
@Injectable()
export class SessionEndpoints {
  constructor(
    protected readonly signIn: SignIn,
    protected readonly sessions: SessionService,
    protected readonly cookie: SessionCookie,
    protected readonly devices: SignedInDevices,
    protected readonly apiKeys: AccountApiKeys,
    @Inject(Clock) protected readonly clock: Clock,
    @Inject(SESSION_ENDPOINTS_OPTIONS) protected readonly options: ResolvedSessionEndpointsOptions,
  ) {}

  /**
   * `POST /auth/login` `{email, password}` → 200 `{csrfToken}` and a new session cookie. Same-origin
   * JSON only (login CSRF); any session cookie sent along is ended, never adopted.
   */
  @Public()
  @UseGuards(OriginCheckGuard)
  @SignInRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async login(@Body() body: unknown, @Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown): Promise<{ csrfToken: string }> {
    const meta = sessionMetaFrom(request);
    const account = await this.signIn.verify(readSignIn(body), { ip: meta.ip, userAgent: meta.userAgent });
    const issued = await this.sessions.login(account.subject, account.scopes, meta, this.cookie.readAll(request));
    this.cookie.write(response, issued);
    return { csrfToken: issued.csrfToken };
  }

  /** `POST /auth/logout` → 204: the session is deleted server-side and the cookie cleared. */
  @AuthStrategies('session')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: unknown): Promise<void> {
    await this.sessions.destroy(principal.credential.id);
    this.cookie.clear(response);
  }

  /** `GET /auth/csrf` → `{csrfToken}` of the current session (the same one login returned). */
  @AuthStrategies('session')
  @Header('Cache-Control', 'no-store')
  csrf(@Req() request: GatehouseRequest): { csrfToken: string } {
    const found = this.cookie.read(request);
    // The guard accepted exactly one session cookie, so this holds; anything else is a 401.
    if (found.state !== 'present') throw new GatehouseError('invalid_session', { mechanism: 'session' });
    return { csrfToken: this.sessions.csrfToken(found.secret) };
  }

  /** `GET /auth/sessions`: the caller's sessions and refresh families, never a secret. */
  @UseGuards(AccountOwnerGuard)
  @Header('Cache-Control', 'no-store')
  devicesList(@CurrentPrincipal() principal: Principal): Promise<DeviceView[]> {
    return this.devices.list(principal);
  }

  /** `DELETE /auth/sessions/:id` → 204; 404 when no session or family of the caller has that id. */
  @UseGuards(AccountOwnerGuard)
  @HttpCode(204)
  async deviceRevoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res({ passthrough: true }) response: unknown): Promise<void> {
    if (typeof id !== 'string' || id.length > 64 || !(await this.devices.revoke(principal.subject, id))) throw new GatehouseError('not_found');
    if (principal.credential.mechanism === 'session' && principal.credential.id === id) this.cookie.clear(response);
  }

  /** `POST /auth/sessions/revoke-others` → `{revoked}`: every session and refresh family but the caller's own. */
  @UseGuards(AccountOwnerGuard)
  @HttpCode(200)
  async revokeOthers(@CurrentPrincipal() principal: Principal): Promise<{ revoked: number }> {
    return { revoked: await this.devices.revokeOthers(principal) };
  }

  /**
   * `POST /auth/password` `{currentPassword, newPassword, keepApiKeys?}` (signed in within 5
   * minutes): changes the password through `GatehouseAccounts`, gives a cookie caller a new session
   * (new id and CSRF token), ends every other session and every refresh family, and revokes every
   * active API key not named in `keepApiKeys`.
   */
  @RequireRecentAuth(PASSWORD_CHANGE_MAX_AUTH_AGE_SECONDS)
  @UseGuards(AccountOwnerGuard)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<PasswordChangeResponse> {
    const change = readPasswordChange(body, this.options.minPasswordLength);
    const outcome = await this.signIn.port().changePassword(principal.subject, change.currentPassword, change.newPassword);
    if (outcome !== 'changed') throw new GatehouseError('current_password_incorrect');
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
    const keys = await this.apiKeys.afterPasswordChange(principal, change.keepApiKeys);
    return csrfToken ? { csrfToken, ...keys } : keys;
  }
}
