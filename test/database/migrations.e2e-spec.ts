import { apiKeysEntities, apiKeysMigrations } from '@gatehouse/api-keys';
import { sessionsEntities, sessionsMigrations } from '@gatehouse/sessions';
import { tokensEntities, tokensMigrations } from '@gatehouse/tokens';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { demoEntities } from '../../src/database/entities.js';
import { provisionDatabase, usesPostgres, type TestDatabase } from '../support/database.js';

// The PostgreSQL schema comes only from migrations: on a fresh database they must produce exactly
// what the entities describe, or the app and its tables have drifted apart. Each library's exported
// array is checked alone too, as an app that uses only that library runs it.
const onPostgres = usesPostgres() ? describe : describe.skip;

/** TypeORM runs migrations in the order of the timestamp that ends each class name. */
const timestampOf = (migration: Function): number => Number(/(\d{13})$/.exec(migration.name)?.[1]);
const inRunOrder = (list: Function[]): string[] => [...list].sort((a, b) => timestampOf(a) - timestampOf(b)).map((migration) => migration.name);

const schemas: Array<[string, Function[], Function[]]> = [
  ['the demo (its own tables and every library)', demoEntities, migrations],
  ['@gatehouse/tokens alone', tokensEntities, tokensMigrations],
  ['@gatehouse/sessions alone', sessionsEntities, sessionsMigrations],
  ['@gatehouse/api-keys alone', apiKeysEntities, apiKeysMigrations],
];

onPostgres.each(schemas)('migrations (PostgreSQL): %s', (_name, entities, list) => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await provisionDatabase();
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities, migrations: list });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('every migration has a 13-digit timestamp, once', () => {
    expect(list.length).toBeGreaterThan(0);
    for (const migration of list) expect(timestampOf(migration)).toBeGreaterThan(0);
    expect(new Set(list.map(timestampOf)).size).toBe(list.length);
  });

  it('run on an empty database and leave no pending schema change', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(inRunOrder(list));
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('revert cleanly, newest first', async () => {
    for (let i = 0; i < list.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
  });
});
