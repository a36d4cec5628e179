import passport from 'passport';
import type { GatehouseRequest } from '@gatehouse/core';

/** The verify callback of `SessionCookieStrategy`: passport's usual `(credential, request, done)`. */
export type SessionCookieVerify = (secret: string, request: GatehouseRequest, done: (error: unknown, user?: unknown) => void) => void;

/**
 * A plain passport strategy that reads a session cookie and hands it to its verify callback:
 * absent cookie → `fail(401)`, verify error → `error`, principal → `success`.
 */
export class SessionCookieStrategy extends passport.Strategy {
  override name = 'session';

  constructor(
    private readonly readSecret: (request: GatehouseRequest) => string | undefined,
    private readonly verify: SessionCookieVerify,
  ) {
    super();
  }

  override authenticate(request: GatehouseRequest): void {
    const secret = this.readSecret(request);
    if (secret === undefined) return this.fail(401);
    this.verify(secret, request, (error, user) => {
      if (error) return this.error(error);
      if (!user) return this.fail(401);
      return this.success(user);
    });
  }
}
