import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal.interface.js';

/**
 * A decision beyond scopes, named by `@Authorize(PolicyClass)`. It sees the principal (with its
 * verified `claims` and `roles`) and the execution context, in HTTP, GraphQL, WebSocket or RPC
 * alike: read route input through the context, not an HTTP request. Return `true` to allow,
 * `false` to refuse with 403 `forbidden`, or throw a coded `GatehouseError` (a registered 403
 * code of your own, e.g. `order_not_owned`).
 *
 * @example
 * ```ts
 * @Injectable()
 * class AdminRolePolicy implements AuthorizationPolicy {
 *   authorize(principal: Principal) { return principal.roles?.includes('admin') ?? false; }
 * }
 * ```
 */
export interface AuthorizationPolicy {
  authorize(principal: Principal, context: ExecutionContext): boolean | Promise<boolean>;
}
