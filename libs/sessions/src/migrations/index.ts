import { Sessions1795838500000 } from './1795838500000-Sessions.js';

/**
 * The PostgreSQL migrations of @gatehouse/sessions, oldest first: add them to your DataSource's
 * `migrations` (`migrations: [...sessionsMigrations, ...yourOwn]`) and run them as you run yours. A schema change
 * of this library is one new file in this folder plus its class at the end of this array.
 */
export const sessionsMigrations: Function[] = [Sessions1795838500000];
