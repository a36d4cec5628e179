import { Inject, Injectable } from '@nestjs/common';
import { appendSetCookie, Clock, readCookies, serializeCookie, type CookieAttributes, type GatehouseRequest } from '@gatehouse/core';
import type { IssuedSession } from './session.interfaces.js';
import { SESSIONS_OPTIONS } from './sessions.constants.js';
import type { ResolvedSessionsOptions } from './sessions-options.interface.js';

/** What `SessionCookie.read` found. */
export type SessionCookieValue =
  | { state: 'absent' }
  | { state: 'present'; secret: string }
  /** More than one cookie of the session's name: a planted or shadowing cookie (cookie tossing). */
  | { state: 'ambiguous' };

/** Reads and writes the session cookie through core's adapter-agnostic helpers. */
@Injectable()
export class SessionCookie {
  constructor(
    @Inject(SESSIONS_OPTIONS) private readonly options: ResolvedSessionsOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  get name(): string {
    return this.options.cookieName;
  }

  read(request: GatehouseRequest): SessionCookieValue {
    const values = readCookies(request, this.options.cookieName);
    if (values.length === 0) return { state: 'absent' };
    if (values.length > 1) return { state: 'ambiguous' };
    return { state: 'present', secret: values[0]! };
  }

  /** Every value sent under the cookie's name (login ends each of them that is a live session). */
  readAll(request: GatehouseRequest): string[] {
    return readCookies(request, this.options.cookieName);
  }

  /** Sets the cookie for a session just issued by `login` or `rotate`. */
  write(response: unknown, session: IssuedSession): void {
    const remaining = session.absoluteExpiresAt - this.clock.now();
    const maxAge = this.options.persistentCookie ? Math.max(1, Math.floor(remaining / 1000)) : undefined;
    appendSetCookie(response, serializeCookie(this.options.cookieName, session.secret, this.attributes(maxAge)));
  }

  /** Tells the browser to drop the cookie (logout). */
  clear(response: unknown): void {
    appendSetCookie(response, serializeCookie(this.options.cookieName, '', this.attributes(0)));
  }

  private attributes(maxAge: number | undefined): CookieAttributes {
    return { httpOnly: true, secure: true, sameSite: this.options.sameSite, path: '/', ...(maxAge === undefined ? {} : { maxAge }) };
  }
}
