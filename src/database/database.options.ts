import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';

/** How long the database may take before a request gives up on it with a 503. */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free pooled one (pg's `connectionTimeoutMillis`). */
  connectTimeoutMs: number;
  /** One statement: PostgreSQL `statement_timeout` (server side) and `query_timeout` (client side, for a stalled network); SQLite `busy_timeout`. */
  queryTimeoutMs: number;
}

const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectTimeoutMs: 2_000, queryTimeoutMs: 5_000 };

/**
 * TypeORM options for the demo: SQLite (better-sqlite3) by default or for `sqlite:<path>`, with
 * the schema synchronised from the entities; PostgreSQL for `postgres://…`, with the schema
 * coming only from the reviewed migrations in `migrations/`, run at start. Every wait on the
 * database is bounded, so a refused or stalled database answers 503 in seconds, never hangs.
 */
export function databaseOptions(databaseUrl: string | undefined, dataDir: string, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS): DataSourceOptions {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    return {
      type: 'postgres',
      url: databaseUrl,
      migrations,
      migrationsRun: true,
      synchronize: false,
      connectTimeoutMS: timeouts.connectTimeoutMs,
      extra: {
        max: 10,
        connectionTimeoutMillis: timeouts.connectTimeoutMs,
        statement_timeout: timeouts.queryTimeoutMs,
        // The client-side bound fires a little later, for when the server never answers at all.
        query_timeout: timeouts.queryTimeoutMs + 500,
        idle_in_transaction_session_timeout: timeouts.queryTimeoutMs * 2,
        keepAlive: true,
      },
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
      db.pragma(`busy_timeout = ${Math.floor(timeouts.queryTimeoutMs)}`);
    },
  };
}
