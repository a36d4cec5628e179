import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal.interface.js';

/**
 * The one hook every principal passes through once its mechanism verified the credential:
 * built-in (`jwt`, `session`, `api-key`), declared, or a passport strategy. Return the principal,
 * a new one (e.g. with `roles` from your database), or throw a coded `GatehouseError` to refuse.
 * It runs behind the global guard, where a passport strategy's `validate()` does not.
 *
 * @example
 * ```ts
 * @Injectable()
 * class RolesEnricher implements PrincipalEnricher {
 *   constructor(private readonly users: UsersService) {}
 *   async enrich(principal: Principal) { return { ...principal, roles: await this.users.rolesOf(principal.subject) }; }
 * }
 * GatehouseModule.forRoot({ enricher: RolesEnricher })
 * ```
 */
export interface PrincipalEnricher {
  enrich(principal: Principal, context: ExecutionContext): Principal | Promise<Principal>;
}

/** Injection token of the app's `PrincipalEnricher`, when `forRoot({ enricher })` names one. */
export const PrincipalEnricher = Symbol('gatehouse:principal-enricher');
