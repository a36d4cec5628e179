import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { buildChallenge } from './challenge.js';
import { GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';
import { RoutePolicies } from './route-policy.js';
import { formatScope, holdsAnyScope, scopesNotHeld } from './scope.js';

/**
 * Enforces `@Scopes(...)` (every listed scope) and `@AnyScope(...)` (at least one): else 403
 * `insufficient_scope` naming the scopes required (RFC 6750 §3.1). Runs after `GatehouseGuard`.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    protected readonly policies: RoutePolicies,
    @Inject(GATEHOUSE_OPTIONS) protected readonly options: ResolvedGatehouseOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const { scopes: required, anyScopes } = this.policies.get(context);
    if (required.length === 0 && anyScopes.length === 0) return true;
    const principal = this.getPrincipal(context);
    if (!principal) throw new GatehouseError('credentials_missing');
    if (scopesNotHeld(principal.scopes, required).length > 0) this.refuse(principal, required);
    if (!holdsAnyScope(principal.scopes, anyScopes)) this.refuse(principal, anyScopes);
    return true;
  }

  /** The principal the guard attached (overridden by contexts that carry it elsewhere). */
  protected getPrincipal(context: ExecutionContext): Principal | undefined {
    return httpRequestOf(context).principal;
  }

  private refuse(principal: Principal, scopes: readonly string[]): never {
    const scope = formatScope(scopes);
    const headers: Record<string, string> =
      principal.credential.mechanism === 'jwt'
        ? { 'WWW-Authenticate': buildChallenge('Bearer', { realm: this.options.realm, error: 'insufficient_scope', scope }) }
        : {};
    throw new GatehouseError('insufficient_scope', { scope, headers, mechanism: principal.credential.mechanism });
  }
}
