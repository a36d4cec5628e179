import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';

/**
 * TypeORM options for the demo: SQLite (better-sqlite3) by default or for `sqlite:<path>`, with
 * the schema synchronised from the entities; PostgreSQL for `postgres://…`, with the schema
 * coming only from the reviewed migrations in `migrations/`, run at start.
 */
export function databaseOptions(databaseUrl: string | undefined, dataDir: string): DataSourceOptions {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    return {
      type: 'postgres',
      url: databaseUrl,
      migrations,
      migrationsRun: true,
      synchronize: false,
      extra: { max: 10 },
    };
  }
  const file = databaseUrl?.startsWith('sqlite:') ? resolve(databaseUrl.slice('sqlite:'.length)) : join(dataDir, 'gatehouse.sqlite');
  mkdirSync(dirname(file), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: file,
    synchronize: true,
    // WAL lets readers proceed while a write is in flight; busy_timeout waits instead of failing on a lock.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
    },
  };
}
