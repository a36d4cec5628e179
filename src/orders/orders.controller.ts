import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { ApiKeyAuth, Clock, CurrentPrincipal, Scopes, serializeWrite } from '@gatehouse/core';
import { CreateOrderDto } from './create-order.dto.js';
import { Order } from './order.entity.js';

interface OrderView {
  id: string;
  item: string;
  quantity: number;
  createdAt: string;
}

const toView = (order: Order): OrderView => ({
  id: order.id,
  item: order.item,
  quantity: order.quantity,
  createdAt: new Date(order.createdAt).toISOString(),
});

/** The demo's protected resource: any credential kind, gated by scopes. */
@ApiKeyAuth()
@Controller('orders')
export class OrdersController {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Scopes('orders:read')
  @Get()
  async list(@CurrentPrincipal('subject') subject: string): Promise<OrderView[]> {
    const rows = await this.orders.find({ where: { ownerId: subject }, order: { createdAt: 'DESC' }, take: 100 });
    return rows.map(toView);
  }

  @Scopes('orders:write')
  @Post()
  @HttpCode(201)
  async create(@CurrentPrincipal('subject') subject: string, @Body() body: CreateOrderDto): Promise<OrderView> {
    const order = this.orders.create({ id: randomUUID(), ownerId: subject, item: body.item, quantity: body.quantity, createdAt: this.clock.now() });
    await serializeWrite(this.orders.manager.connection, () => this.orders.insert(order));
    return toView(order);
  }
}
