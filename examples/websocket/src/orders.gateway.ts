import type { IncomingMessage } from 'node:http';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { AnyScope, ApiKeyAuth, Authorize, CurrentPrincipal, GatehouseSockets, Public, Scopes, type Principal } from '@gatehouse/core';
import { OrganizationPolicy } from './organization.policy.js';

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

  /** Either scope will do; the identity provider's tokens carry them in `permissions`. */
  @AnyScope('reports:read', 'reports:admin')
  @SubscribeMessage('reports')
  reports(@CurrentPrincipal() reader: Principal) { return { event: 'reports', data: { reader: reader.subject, issuer: reader.claims?.iss } }; }

  /** Members of the organization only: a refusal carries the policy's own code. */
  @Authorize(OrganizationPolicy)
  @SubscribeMessage('billing')
  billing(@CurrentPrincipal() member: Principal) { return { event: 'billing', data: `enterprise plan of ${String(member.claims?.org_id)}` }; }
}
