import type { Reflector } from '@nestjs/core';
import type { ExecutionContext, Type } from '@nestjs/common';
import { API_KEY_AUTH_KEY, type ApiKeyAuthOptions } from './api-key-auth.decorator.js';
import { ANY_SCOPE_KEY } from './any-scope.decorator.js';
import { AUTH_STRATEGIES_KEY } from './auth-strategies.decorator.js';
import type { AuthorizationPolicy } from './authorization-policy.interface.js';
import { AUTHORIZE_KEY } from './authorize.decorator.js';
import { OPTIONAL_AUTH_KEY } from './optional-auth.decorator.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { SCOPES_KEY } from './scopes.decorator.js';

/** What one route demands, read once from its metadata and then reused for every request. */
export interface RoutePolicy {
  isPublic: boolean;
  /** Every mechanism name the route accepts, in order (built-in and custom). */
  mechanisms: readonly string[];
  /** Scopes the principal must all hold. */
  scopes: readonly string[];
  /** Scopes of which the principal must hold at least one (empty: no such rule). */
  anyScopes: readonly string[];
  /** `@OptionalAuth()`: with no credential the route runs without a principal. */
  optional: boolean;
  /** `@Authorize(...)` policies, class ones first, each of which must allow the request. */
  policies: readonly Type<AuthorizationPolicy>[];
}

/** Reads route metadata once per (class, handler) pair; method metadata overrides class metadata. */
export class RoutePolicies {
  private readonly byClass = new WeakMap<Type, WeakMap<Function, RoutePolicy>>();
  /** The policy of each handler for the class it was first seen on: one lookup per request (every guard asks). */
  private readonly byHandler = new WeakMap<Function, { type: Type; policy: RoutePolicy }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly defaults: { mechanisms: readonly string[]; strategies: readonly string[] },
  ) {}

  get(context: ExecutionContext): RoutePolicy {
    const type = context.getClass();
    const handler = context.getHandler();
    const first = this.byHandler.get(handler);
    if (first !== undefined && first.type === type) return first.policy;
    // A handler inherited by several controller classes has a policy per class.
    const policy = this.forClass(type, handler);
    if (first === undefined) this.byHandler.set(handler, { type, policy });
    return policy;
  }

  private forClass(type: Type, handler: Function): RoutePolicy {
    let byHandler = this.byClass.get(type);
    if (!byHandler) this.byClass.set(type, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) byHandler.set(handler, (policy = this.read([handler, type])));
    return policy;
  }

  /** The policy of one handler of a controller class, without a request (startup checks, OpenAPI). */
  forHandler(type: Type, handler: Function): RoutePolicy {
    return this.get({ getClass: () => type, getHandler: () => handler } as ExecutionContext);
  }

  private read(targets: [Function, Type]): RoutePolicy {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false;
    const scopes = this.reflector.getAllAndOverride<string[]>(SCOPES_KEY, targets) ?? [];
    const named = this.reflector.getAllAndOverride<string[]>(AUTH_STRATEGIES_KEY, targets);
    const apiKey = this.reflector.getAllAndOverride<Required<ApiKeyAuthOptions>>(API_KEY_AUTH_KEY, targets);
    let mechanisms: string[];
    if (apiKey?.only) mechanisms = ['api-key'];
    else {
      mechanisms = named ? [...named] : [...this.defaults.mechanisms, ...this.defaults.strategies];
      if (apiKey && !mechanisms.includes('api-key')) mechanisms.push('api-key');
    }
    const anyScopes = this.reflector.getAllAndOverride<string[]>(ANY_SCOPE_KEY, targets) ?? [];
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH_KEY, targets) ?? false;
    const policies = [
      ...(this.reflector.get<Type<AuthorizationPolicy>[] | undefined>(AUTHORIZE_KEY, targets[1]) ?? []),
      ...(this.reflector.get<Type<AuthorizationPolicy>[] | undefined>(AUTHORIZE_KEY, targets[0]) ?? []),
    ];
    return Object.freeze({ isPublic, mechanisms, scopes, anyScopes, optional, policies });
  }
}
