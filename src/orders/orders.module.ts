import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Order } from './order.entity.js';
import { OrdersController } from './orders.controller.js';

@Module({ imports: [TypeOrmModule.forFeature([Order])], controllers: [OrdersController] })
export class OrdersModule {}
