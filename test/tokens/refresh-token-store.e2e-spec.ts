import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { RefreshFamily, RefreshToken, tokensEntities, tokensMigrations, TypeOrmRefreshTokenStore, type FamilyTouch } from '@gatehouse/tokens';
import { provisionDatabase, usesPostgres, type TestDatabase } from '../support/database.js';

// The refresh store's own statements (one joined read; on PostgreSQL one statement per rotation)
// against the database the suites run on: SQLite for `npm test`, PostgreSQL for `test:services`,
// whose schema comes from the migrations, as in an app.
const onPostgres = usesPostgres() ? describe : describe.skip;

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

const hash = (): string => randomBytes(32).toString('hex');

function dataSourceOptions(database: TestDatabase, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return database.kind === 'postgres'
    ? ({ type: 'postgres', url: database.url, entities: tokensEntities, migrations: tokensMigrations, migrationsRun: true, ...extra } as DataSourceOptions)
    : ({ type: 'better-sqlite3', database: database.url.slice('sqlite:'.length), entities: tokensEntities, synchronize: true, ...extra } as DataSourceOptions);
}

function touchAt(at: number, ip: string | null = '203.0.113.9', userAgent: string | null = 'agent/2'): FamilyTouch {
  return { lastUsedAt: at, idleExpiresAt: at + 7 * DAY, purgeAfter: at + 7 * DAY, ip, userAgent };
}

/** A live family, created at T0. */
function familyRecord(overrides: Partial<RefreshFamily> = {}): RefreshFamily {
  return Object.assign(new RefreshFamily(), {
    id: randomBytes(16).toString('base64url'),
    subject: 'user-1',
    scopes: 'orders:read profile',
    createdAt: T0,
    lastUsedAt: T0,
    expiresAt: T0 + 30 * DAY,
    idleExpiresAt: T0 + 7 * DAY,
    revokedAt: null,
    revokedReason: null,
    purgeAfter: T0 + 7 * DAY,
    ip: '198.51.100.1',
    userAgent: 'agent/1',
    ...overrides,
  });
}

function firstToken(family: RefreshFamily): RefreshToken {
  return Object.assign(new RefreshToken(), { tokenHash: hash(), familyId: family.id, createdAt: T0, spentAt: null, successorHash: null });
}

function successorOf(familyId: string, at: number): RefreshToken {
  return Object.assign(new RefreshToken(), { tokenHash: hash(), familyId, createdAt: at, spentAt: null, successorHash: null });
}

describe('TypeOrmRefreshTokenStore on the test database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: TypeOrmRefreshTokenStore;

  beforeAll(async () => {
    database = await provisionDatabase();
    dataSource = await new DataSource(dataSourceOptions(database)).initialize();
    store = new TypeOrmRefreshTokenStore(() => dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** A live family with one unspent token. */
  async function family(overrides: Partial<RefreshFamily> = {}): Promise<{ family: RefreshFamily; token: RefreshToken }> {
    const created = familyRecord(overrides);
    const token = firstToken(created);
    await store.createFamily(created, token);
    return { family: created, token };
  }

  const tokenRow = (tokenHash: string) => dataSource.getRepository(RefreshToken).findOneBy({ tokenHash });
  const familyRow = (id: string) => dataSource.getRepository(RefreshFamily).findOneByOrFail({ id });
  const tokensOf = (familyId: string) => dataSource.getRepository(RefreshToken).findBy({ familyId });

  /** The SQL texts `work` sends, in order. */
  async function queriesOf(work: () => Promise<unknown>): Promise<string[]> {
    const queries: string[] = [];
    const logQuery = dataSource.logger.logQuery.bind(dataSource.logger);
    dataSource.logger.logQuery = (query, parameters, queryRunner) => {
      queries.push(query);
      logQuery(query, parameters, queryRunner);
    };
    try {
      await work();
    } finally {
      dataSource.logger.logQuery = logQuery;
    }
    return queries;
  }

  it('reads a token and its family in one query, as the repositories read them', async () => {
    const { family: created, token } = await family();
    let found: Awaited<ReturnType<TypeOrmRefreshTokenStore['findToken']>>;
    const queries = await queriesOf(async () => {
      found = await store.findToken(token.tokenHash);
    });
    expect(queries).toHaveLength(1);
    expect(found!.token).toBeInstanceOf(RefreshToken);
    expect(found!.family).toBeInstanceOf(RefreshFamily);
    expect(found!.token).toEqual(await tokenRow(token.tokenHash));
    expect(found!.family).toEqual(await familyRow(created.id));
    // bigint columns come back as numbers on both drivers (PostgreSQL sends them as strings).
    expect(found!.family).toEqual(created);
    expect(typeof found!.family.expiresAt).toBe('number');
    expect(found!.token.spentAt).toBeNull();
    expect(await store.findToken(hash())).toBeUndefined();
  });

  it('sends the same statements on every rotation, with every value bound (SQLite prepares each once)', async () => {
    const rotation = async (at: number, ip: string | null) => {
      const { family: created, token } = await family();
      return queriesOf(async () => {
        expect(await store.findToken(token.tokenHash)).toBeDefined();
        expect(await store.spend(token.tokenHash, successorOf(created.id, at), created.id, touchAt(at, ip))).toBe('rotated');
      });
    };
    const first = await rotation(T0 + 1234, '203.0.113.9');
    const second = await rotation(T0 + 5678, null);
    expect(second).toEqual(first);
    // No time, hash or address is written into the text (TypeORM's SQLite driver inlines numbers).
    for (const query of first) expect(query).not.toMatch(/1234|203\.0\.113|[0-9a-f]{64}/);
  });

  it('rotates: spends the token, records and inserts its successor, touches the family', async () => {
    const { family: created, token } = await family();
    const successor = successorOf(created.id, T0 + 1000);
    expect(await store.spend(token.tokenHash, successor, created.id, touchAt(T0 + 1000))).toBe('rotated');
    expect(await tokenRow(token.tokenHash)).toMatchObject({ spentAt: T0 + 1000, successorHash: successor.tokenHash });
    expect(await tokenRow(successor.tokenHash)).toEqual(successor);
    expect(await familyRow(created.id)).toEqual({ ...created, ...touchAt(T0 + 1000) });
  });

  it('spends a token once: a second rotation changes nothing', async () => {
    const { family: created, token } = await family();
    const first = successorOf(created.id, T0 + 1000);
    expect(await store.spend(token.tokenHash, first, created.id, touchAt(T0 + 1000))).toBe('rotated');
    const second = successorOf(created.id, T0 + 2000);
    expect(await store.spend(token.tokenHash, second, created.id, touchAt(T0 + 2000, '192.0.2.66', 'other'))).toBe('already_spent');
    expect(await tokenRow(token.tokenHash)).toMatchObject({ spentAt: T0 + 1000, successorHash: first.tokenHash });
    expect(await tokenRow(second.tokenHash)).toBeNull();
    expect(await familyRow(created.id)).toEqual({ ...created, ...touchAt(T0 + 1000) });
  });

  it.each([
    ['revoked', { revokedAt: T0 + 500, revokedReason: 'logout' }],
    ['idle-expired', { idleExpiresAt: T0 + 500 }],
    ['at its absolute end', { expiresAt: T0 + 1000 }],
  ])('issues nothing for a family %s since it was read, and leaves the family as it was', async (_state, overrides) => {
    const { family: created, token } = await family(overrides);
    const successor = successorOf(created.id, T0 + 1000);
    expect(await store.spend(token.tokenHash, successor, created.id, touchAt(T0 + 1000))).toBe('family_revoked');
    expect(await tokenRow(successor.tokenHash)).toBeNull();
    expect(await familyRow(created.id)).toEqual(created);
    // PostgreSQL's one statement keeps the spend (the family is dead, so nothing can use the
    // token again); SQLite's transaction rolls it back.
    expect((await tokenRow(token.tokenHash))!.spentAt).toBe(database.kind === 'postgres' ? T0 + 1000 : null);
  });

  it('gives exactly one of 20 concurrent rotations of a token the successor, and the family its meta', async () => {
    const { family: created, token } = await family();
    const attempts = Array.from({ length: 20 }, (_, i) => ({ successor: successorOf(created.id, T0 + 1000), touch: touchAt(T0 + 1000, `192.0.2.${i + 1}`, `agent/${i}`) }));
    const outcomes = await Promise.all(attempts.map(({ successor, touch }) => store.spend(token.tokenHash, successor, created.id, touch)));
    expect(outcomes.filter((outcome) => outcome === 'rotated')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'already_spent')).toHaveLength(19);
    const winner = attempts[outcomes.indexOf('rotated')]!;
    expect(await tokenRow(token.tokenHash)).toMatchObject({ successorHash: winner.successor.tokenHash });
    expect((await tokensOf(created.id)).map((row) => row.tokenHash).sort()).toEqual([token.tokenHash, winner.successor.tokenHash].sort());
    expect(await familyRow(created.id)).toEqual({ ...created, ...winner.touch });
  });

  onPostgres('with a revocation in flight on PostgreSQL', () => {
    let client: pg.Client;
    beforeEach(async () => {
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
    });
    afterEach(async () => {
      await client.end();
    });

    /** Whether `promise` is still pending after the database had time to answer it. */
    async function stillWaiting(promise: Promise<unknown>): Promise<boolean> {
      const pending = Symbol('pending');
      return (await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(pending), 300))])) === pending;
    }

    it.each([
      ['commits', 'COMMIT', 'family_revoked'],
      ['rolls back', 'ROLLBACK', 'rotated'],
    ])('waits on the family row, and issues a successor only if the revocation %s', async (_what, end, expected) => {
      const { family: created, token } = await family();
      await client.query('BEGIN');
      await client.query('UPDATE refresh_families SET revoked_at = $1, revoked_reason = $2 WHERE id = $3', [T0 + 900, 'logout', created.id]);
      const successor = successorOf(created.id, T0 + 1000);
      const rotation = store.spend(token.tokenHash, successor, created.id, touchAt(T0 + 1000));
      expect(await stillWaiting(rotation)).toBe(true);
      await client.query(end);
      expect(await rotation).toBe(expected);
      expect(await tokenRow(successor.tokenHash)).toEqual(expected === 'rotated' ? successor : null);
      const after = await familyRow(created.id);
      expect(after.revokedAt).toBe(expected === 'rotated' ? null : T0 + 900);
      expect(after.ip).toBe(expected === 'rotated' ? '203.0.113.9' : created.ip);
    });
  });
});

describe('TypeOrmRefreshTokenStore under an app naming its tables (entityPrefix)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await provisionDatabase();
    // The migrations name the tables themselves, so a prefixed schema comes from the entities here.
    dataSource = await new DataSource({ ...dataSourceOptions(database, { entityPrefix: 'app_' }), migrations: [], migrationsRun: false, synchronize: true } as DataSourceOptions).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('reads and rotates in the prefixed tables', async () => {
    const store = new TypeOrmRefreshTokenStore(() => dataSource);
    const created = familyRecord({ ip: null, userAgent: null });
    const token = firstToken(created);
    await store.createFamily(created, token);
    const tables = dataSource.entityMetadatas.map((metadata) => metadata.tableName).sort();
    expect(tables).toEqual(['app_refresh_families', 'app_refresh_tokens']);
    expect((await store.findToken(token.tokenHash))?.family).toEqual(created);
    expect(await store.spend(token.tokenHash, successorOf(created.id, T0 + 1000), created.id, touchAt(T0 + 1000))).toBe('rotated');
    expect((await store.findToken(token.tokenHash))?.token.spentAt).toBe(T0 + 1000);
  });
});
