import { Query, Resolver, Subscription } from '@nestjs/graphql';
import { AnyScope, ApiKeyAuth, Authorize, CurrentPrincipal, Public, Scopes, type Principal } from '@gatehouse/core';
import { OrganizationPolicy } from './organization.policy.js';

/** Every resolver is guarded like a route: the same decorators, the same principal. */
@Resolver()
export class OrdersResolver {
  @Public()
  @Query(() => String)
  health() { return 'ok'; }

  @Query(() => String)
  me(@CurrentPrincipal('subject') subject: string) { return subject; }

  @ApiKeyAuth()
  @Scopes('orders:read')
  @Query(() => [String])
  orders(@CurrentPrincipal('subject') owner: string) { return [`order-1 of ${owner}`]; }

  @Scopes('orders:write')
  @Query(() => String)
  placeOrderPreview() { return 'allowed'; }

  /** Either scope will do; the identity provider's tokens carry them in `permissions`. */
  @AnyScope('reports:read', 'reports:admin')
  @Query(() => [String])
  reports(@CurrentPrincipal() reader: Principal) { return [`q3 for ${reader.subject} from ${String(reader.claims?.iss)}`]; }

  /** Members of the organization only: a refusal is FORBIDDEN with the policy's own code. */
  @Authorize(OrganizationPolicy)
  @Query(() => String)
  billing(@CurrentPrincipal() member: Principal) { return `enterprise plan of ${String(member.claims?.org_id)}`; }

  /** Subscriptions over graphql-ws authenticate from `connectionParams`. */
  @Scopes('orders:read')
  @Subscription(() => String, { resolve: (value: string) => value })
  async *orderPlaced(@CurrentPrincipal('subject') owner: string): AsyncGenerator<string> {
    yield `order-2 of ${owner}`;
  }
}
