import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from './migrations/index.js';
import { Account } from './src/accounts/account.entity.js';
import { Order } from './src/orders/order.entity.js';

/** The DataSource the TypeORM CLI uses to generate and run migrations against PostgreSQL. */
export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/gatehouse',
  entities: [Account, Order],
  migrations,
});
