import type { Reflector } from '@nestjs/core';
import type { ExecutionContext, Type } from '@nestjs/common';
import { API_KEY_AUTH_KEY, type ApiKeyAuthOptions } from './api-key-auth.decorator.js';
import { AUTH_STRATEGIES_KEY } from './auth-strategies.decorator.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { SCOPES_KEY } from './scopes.decorator.js';

/** What one route demands, read once from its metadata and then reused for every request. */
export interface RoutePolicy {
  isPublic: boolean;
  /** Every mechanism name the route accepts, in order (built-in and custom). */
  mechanisms: readonly string[];
  /** Scopes the principal must all hold. */
  scopes: readonly string[];
}

/** Reads route metadata once per (class, handler) pair; method metadata overrides class metadata. */
export class RoutePolicies {
  private readonly byClass = new WeakMap<Type, WeakMap<Function, RoutePolicy>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly defaults: { mechanisms: readonly string[]; strategies: readonly string[] },
  ) {}

  get(context: ExecutionContext): RoutePolicy {
    const type = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(type);
    if (!byHandler) this.byClass.set(type, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) byHandler.set(handler, (policy = this.read([handler, type])));
    return policy;
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
    return { isPublic, mechanisms, scopes };
  }
}
