import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ApiKeyAuth, CurrentPrincipal, Public, Scopes } from '@gatehouse/core';

/**
 * Message handlers guarded like routes. The credential travels in the message metadata
 * (`authorization: Bearer …` or `x-api-key: …`), never in the payload.
 */
@Controller()
export class OrdersHandlers {
  @Public()
  @MessagePattern('health')
  health() { return 'ok'; }

  @MessagePattern('me')
  me(@CurrentPrincipal('subject') subject: string) { return subject; }

  @ApiKeyAuth()
  @Scopes('orders:read')
  @MessagePattern('orders.list')
  list(@CurrentPrincipal('subject') owner: string) { return [`order-1 of ${owner}`]; }

  @Scopes('orders:write')
  @MessagePattern('orders.place')
  place(@Payload() order: { item: string }) { return { placed: order.item }; }
}
