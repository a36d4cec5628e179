import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { GatehouseError, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { SessionCookieStrategy } from './session-cookie.strategy.js';
import { SessionMechanism } from './session.mechanism.js';

/**
 * The `session` passport strategy, so `AuthGuard('session')` works in apps written against
 * `@nestjs/passport`. It delegates to the same mechanism as the global guard (cache, expiry,
 * CSRF); the guard itself calls the mechanism directly.
 */
@Injectable()
export class SessionStrategy extends PassportStrategy(SessionCookieStrategy, 'session') {
  constructor(private readonly mechanism: SessionMechanism) {
    super((request: GatehouseRequest) => mechanism.extract(request));
  }

  async validate(secret: string, request: GatehouseRequest): Promise<Principal> {
    const principal = await this.mechanism.authenticate(secret, request);
    if (principal instanceof GatehouseError) throw principal;
    return principal;
  }
}
