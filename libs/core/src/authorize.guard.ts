import { Injectable, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AuthorizationPolicy } from './authorization-policy.interface.js';
import { contextRefusal } from './context-refusal.js';
import { contextPrincipalOf } from './execution-context.seam.js';
import { GatehouseError } from './gatehouse.error.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';
import { RoutePolicies } from './route-policy.js';

/**
 * Enforces `@Authorize(PolicyClass)`: each policy, resolved through DI once, must return true;
 * `false` is a 403 `forbidden`, a thrown coded error passes through. Runs after `ScopesGuard`.
 * It reads only the principal and the execution context, so it works in every Nest context.
 */
@Injectable()
export class AuthorizeGuard implements CanActivate {
  private readonly instances = new Map<Type<AuthorizationPolicy>, AuthorizationPolicy | Promise<AuthorizationPolicy>>();

  constructor(
    protected readonly policies: RoutePolicies,
    protected readonly moduleRef: ModuleRef,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { policies } = this.policies.get(context);
    if (policies.length === 0) return true;
    if (context.getType() === 'http') return this.checkPrincipal(policies, context);
    try {
      return this.checkPrincipal(policies, context).catch((error: unknown) => Promise.reject(contextRefusal(context, error)));
    } catch (error) {
      throw contextRefusal(context, error);
    }
  }

  private checkPrincipal(policies: readonly Type<AuthorizationPolicy>[], context: ExecutionContext): Promise<boolean> {
    const principal = this.getPrincipal(context);
    if (!principal) throw new GatehouseError('credentials_missing');
    return this.check(policies, principal, context);
  }

  /** The principal the guard attached in whatever context the handler runs. */
  protected getPrincipal(context: ExecutionContext): Principal | undefined {
    return context.getType() === 'http' ? httpRequestOf(context).principal : contextPrincipalOf(context);
  }

  private async check(policies: readonly Type<AuthorizationPolicy>[], principal: Principal, context: ExecutionContext): Promise<boolean> {
    for (const type of policies) {
      const policy = await this.instance(type);
      if ((await policy.authorize(principal, context)) !== true) throw new GatehouseError('forbidden');
    }
    return true;
  }

  /** The app's provider of the policy when it has one, else an instance built once with its dependencies. */
  private instance(type: Type<AuthorizationPolicy>): AuthorizationPolicy | Promise<AuthorizationPolicy> {
    const known = this.instances.get(type);
    if (known) return known;
    let instance: AuthorizationPolicy | Promise<AuthorizationPolicy>;
    try {
      instance = this.moduleRef.get(type, { strict: false });
    } catch {
      instance = this.moduleRef.create(type);
    }
    this.instances.set(type, instance);
    return instance;
  }
}
