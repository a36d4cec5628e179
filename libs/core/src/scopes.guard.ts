import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { buildChallenge } from './challenge.js';
import { contextRefusal } from './context-refusal.js';
import { contextPrincipalOf } from './execution-context.seam.js';
import { GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';
import { RoutePolicies } from './route-policy.js';
import { formatScope, holdsAnyScope, scopesNotHeld } from './scope.js';

/**
 * Enforces `@Scopes(...)` (every listed scope) and `@AnyScope(...)` (at least one): else 403
 * `insufficient_scope` naming the scopes required (RFC 6750 §3.1). Runs after `GatehouseGuard`,
 * in every context; outside HTTP the refusal is the context's error (GraphQL `FORBIDDEN`, …).
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
    if (context.getType() === 'http') return this.check(this.getPrincipal(context), required, anyScopes);
    try {
      return this.check(this.getPrincipal(context), required, anyScopes);
    } catch (error) {
      throw contextRefusal(context, error);
    }
  }

  /** The principal the guard attached, in whatever context the handler runs. */
  protected getPrincipal(context: ExecutionContext): Principal | undefined {
    return context.getType() === 'http' ? httpRequestOf(context).principal : contextPrincipalOf(context);
  }

  private check(principal: Principal | undefined, required: readonly string[], anyScopes: readonly string[]): true {
    if (!principal) throw new GatehouseError('credentials_missing');
    if (scopesNotHeld(principal.scopes, required).length > 0) this.refuse(principal, required);
    if (!holdsAnyScope(principal.scopes, anyScopes)) this.refuse(principal, anyScopes);
    return true;
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
