import type { DataSource, EntityManager } from 'typeorm';

/** Drivers whose TypeORM queries and transactions all share one connection. */
const SINGLE_CONNECTION_DRIVERS = new Set(['better-sqlite3', 'sqlite', 'sqljs', 'capacitor', 'cordova', 'expo', 'react-native', 'nativescript']);
/** Per DataSource, the tail of the one queue its writes and transactions wait in. */
const queues = new WeakMap<DataSource, Promise<unknown>>();

/** True when the DataSource runs everything on one connection (better-sqlite3 and friends). */
export function isSingleConnection(dataSource: DataSource): boolean {
  return SINGLE_CONNECTION_DRIVERS.has(dataSource.options.type);
}

/**
 * Runs a write so that it can never land inside another caller's open transaction. On
 * single-connection drivers (SQLite), a plain `UPDATE` sent while someone's transaction is open
 * joins that transaction, and is rolled back with it; so every library write and transaction
 * waits in one queue per DataSource. On pooled drivers (PostgreSQL) it runs at once.
 *
 * @example await serializeWrite(dataSource, () => repository.delete({ id }));
 */
export function serializeWrite<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isSingleConnection(dataSource)) return work();
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(work, work);
  queues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}

/** A transaction that waits in the same queue as `serializeWrite` on single-connection drivers. */
export function serializedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return serializeWrite(dataSource, () => dataSource.transaction(work));
}
