import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from './migrations/index.js';
import { demoEntities } from './src/database/entities.js';

/**
 * The DataSource the TypeORM CLI uses to generate and run migrations against PostgreSQL
 * (`npm run migration:generate -- migrations/<Name>`, `npm run migration:run`).
 */
export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gatehouse',
  entities: demoEntities,
  migrations,
});
