import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GATEHOUSE_OPTIONS } from './gatehouse.constants.js';
import { GatehouseError } from './gatehouse.error.js';
import type { ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import { missingScopes } from './principal.guards.js';
import { RoutePolicies } from './route-policy.js';

/**
 * Enforces `@Scopes(...)`: the principal must hold every listed scope, else 403
 * `insufficient_scope` naming the scopes required (RFC 6750 §3.1). Runs after `GatehouseGuard`.
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
    const principal = httpRequestOf(context).principal;
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
