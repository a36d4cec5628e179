import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { demoEntities } from '../../src/database/entities.js';
import { provisionDatabase, usesPostgres, type TestDatabase } from '../support/database.js';

// The PostgreSQL schema comes only from migrations: on a fresh database they must produce exactly
// what the entities describe, or the app and its tables have drifted apart.
const onPostgres = usesPostgres() ? describe : describe.skip;

onPostgres('migrations (PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await provisionDatabase();
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities: demoEntities, migrations });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('run on an empty database and leave no pending schema change', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(migrations.map((migration) => migration.name));
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('revert cleanly, newest first', async () => {
    for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
  });
});
