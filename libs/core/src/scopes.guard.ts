import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { contextRefusal } from './context-refusal.js';
import { contextPrincipalOf } from './execution-context.seam.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import { missingScopes } from './principal.guards.js';
import type { Principal } from './principal.interface.js';
import { RoutePolicies } from './route-policy.js';

/**
 * Enforces `@Scopes(...)`: the principal must hold every listed scope, else 403
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
    const required = this.policies.get(context).scopes;
    if (required.length === 0) return true;
    if (context.getType() !== 'http') {
      try {
        return this.check(contextPrincipalOf(context), required);
      } catch (error) {
        throw contextRefusal(context, error);
      }
    }
    return this.check(httpRequestOf(context).principal, required);
  }

  private check(principal: Principal | undefined, required: readonly string[]): true {
    if (!principal) throw new GatehouseError('credentials_missing');
    if (missingScopes(principal, required).length === 0) return true;
    const scope = required.join(' ');
    const headers: Record<string, string> =
      principal.credential.mechanism === 'jwt'
        ? { 'WWW-Authenticate': `Bearer realm="${this.options.realm}", error="insufficient_scope", scope="${scope}"` }
        : {};
    throw new GatehouseError('insufficient_scope', { scope, headers, mechanism: principal.credential.mechanism });
  }
}
