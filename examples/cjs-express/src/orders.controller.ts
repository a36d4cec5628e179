import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiKeyAuth, CurrentPrincipal, Public, Scopes, type Principal } from '@gatehouse/core';

/** The app's own routes: any credential (bearer token, session cookie or API key), scoped. */
@ApiKeyAuth()
@Controller()
export class OrdersController {
  private readonly orders: Array<{ owner: string; item: string }> = [];

  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return { kind: principal.kind, subject: principal.subject, mechanism: principal.credential.mechanism, scopes: principal.scopes };
  }

  @Scopes('orders:read')
  @Get('orders')
  list(@CurrentPrincipal('subject') owner: string) {
    return this.orders.filter((order) => order.owner === owner);
  }

  @Scopes('orders:write')
  @Post('orders')
  create(@CurrentPrincipal('subject') owner: string, @Body() body: { item: string }) {
    const order = { owner, item: String(body.item) };
    this.orders.push(order);
    return order;
  }
}
