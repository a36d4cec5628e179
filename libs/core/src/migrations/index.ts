import { Revocations1795840000000 } from './1795840000000-Revocations.js';

/** The PostgreSQL migrations of `@gatehouse/core`, in order: add them to your DataSource's `migrations`. */
export const coreMigrations: Function[] = [Revocations1795840000000];
