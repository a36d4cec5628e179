import { apiKeysMigrations } from '@gatehouse/api-keys';
import { coreMigrations } from '@gatehouse/core';
import { sessionsMigrations } from '@gatehouse/sessions';
import { tokensMigrations } from '@gatehouse/tokens';
import { DemoSchema1795837676396 } from './1795837676396-DemoSchema.js';

/**
 * Every migration of the demo's PostgreSQL schema: its own tables (this folder:
 * `npm run migration:generate -- migrations/<Name>` writes new files here; list them below) and
 * each library's exported array, as any app using the libraries adds them.
 */
export const migrations: Function[] = [DemoSchema1795837676396, ...apiKeysMigrations, ...sessionsMigrations, ...tokensMigrations, ...coreMigrations];
