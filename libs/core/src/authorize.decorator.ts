import { SetMetadata, type Type } from '@nestjs/common';
import type { AuthorizationPolicy } from './authorization-policy.interface.js';

export const AUTHORIZE_KEY = 'gatehouse:authorize';

/**
 * Runs each policy after authentication and the scope checks; every one must allow the request,
 * else 403. Policies are resolved through DI (the app's provider if it has one, else built once).
 * Class and method policies both apply: the class's first.
 *
 * @example @Authorize(OwnsOrderPolicy) @Get('orders/:id') one() {}
 */
export const Authorize = (...policies: Type<AuthorizationPolicy>[]): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTHORIZE_KEY, policies);
