import { Query, Resolver, Subscription } from '@nestjs/graphql';
import { ApiKeyAuth, CurrentPrincipal, Public, Scopes } from '@gatehouse/core';

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

  /** Subscriptions over graphql-ws authenticate from `connectionParams`. */
  @Scopes('orders:read')
  @Subscription(() => String, { resolve: (value: string) => value })
  async *orderPlaced(@CurrentPrincipal('subject') owner: string): AsyncGenerator<string> {
    yield `order-2 of ${owner}`;
  }
}
