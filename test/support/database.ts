import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database for one test app: its URL and how to throw it away. */
export interface TestDatabase {
  url: string;
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  drop(): Promise<void>;
}

/** True when the suites run against PostgreSQL (`npm run test:services`). */
export const usesPostgres = (): boolean => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

/**
 * A fresh database: a SQLite file in a new temp folder, or — when `DATABASE_URL` names PostgreSQL —
 * a new PostgreSQL database created beside it, so suites running in parallel never share rows.
 */
export async function provisionDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (!usesPostgres()) {
    return { url: `sqlite:${join(dataDir, 'test.sqlite')}`, kind: 'sqlite', dataDir, drop: async () => removeDir() };
  }
  const admin = new URL(process.env.DATABASE_URL as string);
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgres',
    dataDir,
    drop: async () => {
      removeDir();
      const dropper = new pg.Client({ connectionString: admin.toString() });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
