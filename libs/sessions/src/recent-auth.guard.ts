import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock, contextPrincipalOf, contextRefusal, GatehouseError, httpRequestOf, type Principal } from '@gatehouse/core';
// A cycle with the decorator's file, safe: the key is only read at request time.
import { RECENT_AUTH_KEY } from './sessions.constants.js';

/**
 * Enforces `@RequireRecentAuth(seconds)`. Runs after the global guard, so the principal is known;
 * a credential without an `authTime` never counts as recent.
 */
@Injectable()
export class RecentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const maxAgeSeconds = this.reflector.getAllAndOverride<number | undefined>(RECENT_AUTH_KEY, [context.getHandler(), context.getClass()]);
    if (maxAgeSeconds === undefined) return true;
    if (context.getType() === 'http') return this.check(httpRequestOf(context).principal, maxAgeSeconds);
    // GraphQL, WebSocket and RPC: the same check, refused with the context's own error.
    try {
      return this.check(contextPrincipalOf(context), maxAgeSeconds);
    } catch (error) {
      throw contextRefusal(context, error);
    }
  }

  private check(principal: Principal | undefined, maxAgeSeconds: number): boolean {
    if (!principal) throw new GatehouseError('credentials_missing');
    const authTime = principal.credential.authTime;
    if (authTime === undefined || this.clock.now() - authTime > maxAgeSeconds * 1000) {
      throw new GatehouseError('reauthentication_required', { mechanism: principal.credential.mechanism });
    }
    return true;
  }
}
