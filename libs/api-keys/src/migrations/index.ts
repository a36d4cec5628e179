import { ApiKeys1795838119056 } from './1795838119056-ApiKeys.js';

/**
 * The PostgreSQL migrations of @gatehouse/api-keys, oldest first: add them to your DataSource's
 * `migrations` (`migrations: [...apiKeysMigrations, ...yourOwn]`) and run them as you run yours. A schema change
 * of this library is one new file in this folder plus its class at the end of this array.
 */
export const apiKeysMigrations: Function[] = [ApiKeys1795838119056];
