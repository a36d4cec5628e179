import { Inject, Injectable } from '@nestjs/common';
import { appendSetCookie, checkRequestOrigin, Clock, GatehouseError, readCookies, serializeCookie, type GatehouseRequest } from '@gatehouse/core';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { TOKENS_OPTIONS } from './tokens.constants.js';

/**
 * The refresh token of web clients, in an HttpOnly, Secure, `SameSite=Strict` cookie with a
 * `__Secure-` name and a `Path` limited to the refresh routes: page scripts cannot read it and
 * the browser sends it nowhere else. A cookie is an ambient credential, so a refresh that uses it
 * must pass `checkOrigin` first (CSRF).
 *
 * @example const token = cookie.read(request); if (token) cookie.checkOrigin(request);
 */
@Injectable()
export class RefreshCookie {
  constructor(
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  get name(): string {
    return this.options.refreshCookieName;
  }

  /** The refresh token from the cookie, if one was sent; two cookies of that name (one planted) are `invalid_grant`. */
  read(request: GatehouseRequest): string | undefined {
    const values = readCookies(request, this.options.refreshCookieName);
    if (values.length > 1) throw new GatehouseError('invalid_grant', { message: 'More than one refresh cookie was sent.' });
    return values[0] || undefined;
  }

  /**
   * Refuses cross-site use of the cookie: Fetch Metadata, then `Origin` / `Referer`, against the
   * allowed origins (default: the request's own). A request carrying none of them is refused too:
   * every browser sends one on a POST, and non-browser clients send the token in the body.
   */
  checkOrigin(request: GatehouseRequest): void {
    checkRequestOrigin(request, this.options.allowedOrigins, { trustSameSite: this.options.trustSameSite, requireOriginHeaders: true });
  }

  /** Sets the cookie to `token` until `expiresAt` (epoch ms). */
  write(response: unknown, token: string, expiresAt: number): void {
    appendSetCookie(response, serializeCookie(this.options.refreshCookieName, token, this.attributes(Math.max(1, Math.floor((expiresAt - this.clock.now()) / 1000)))));
  }

  /** Deletes the cookie in the browser. */
  clear(response: unknown): void {
    appendSetCookie(response, serializeCookie(this.options.refreshCookieName, '', this.attributes(0)));
  }

  private attributes(maxAge: number) {
    return { httpOnly: true, secure: true, sameSite: 'Strict' as const, path: this.options.refreshCookiePath, maxAge };
  }
}
