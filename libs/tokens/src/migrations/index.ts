import { RefreshFamilies1795839000000 } from './1795839000000-RefreshFamilies.js';

/**
 * The PostgreSQL migrations of @gatehouse/tokens, oldest first: add them to your DataSource's
 * `migrations` (`migrations: [...tokensMigrations, ...yourOwn]`) and run them as you run yours. A schema change
 * of this library is one new file in this folder plus its class at the end of this array.
 */
export const tokensMigrations: Function[] = [RefreshFamilies1795839000000];
