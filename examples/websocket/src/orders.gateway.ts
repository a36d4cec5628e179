import type { IncomingMessage } from 'node:http';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { ApiKeyAuth, CurrentPrincipal, GatehouseSockets, Public, Scopes } from '@gatehouse/core';

/**
 * A socket.io gateway guarded per message. The handshake is authenticated once (bearer token in
 * `auth: { token }` or the Authorization header, an API key, or the session cookie from an allowed
 * origin); every message re-checks it, so a revoked credential stops at its next message.
 */
@WebSocketGateway()
export class OrdersGateway implements OnGatewayConnection {
  constructor(private readonly sockets: GatehouseSockets) {}

  handleConnection(client: Socket, request: IncomingMessage) {
    return this.sockets.connect(client, request);
  }

  @Public()
  @SubscribeMessage('health')
  health() { return { event: 'health', data: 'ok' }; }

  @SubscribeMessage('me')
  me(@CurrentPrincipal('subject') subject: string) { return { event: 'me', data: subject }; }

  @ApiKeyAuth()
  @Scopes('orders:read')
  @SubscribeMessage('orders')
  orders(@CurrentPrincipal('subject') owner: string) { return { event: 'orders', data: [`order-1 of ${owner}`] }; }

  @Scopes('orders:write')
  @SubscribeMessage('place-order')
  placeOrder() { return { event: 'placed', data: 'order-2' }; }
}
