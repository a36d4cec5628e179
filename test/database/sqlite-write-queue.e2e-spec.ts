import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { apiKeysEntities } from '@gatehouse/api-keys';
import { sessionsEntities } from '@gatehouse/sessions';
import { RefreshFamily, tokensEntities } from '@gatehouse/tokens';
import { ApiKey } from '../../libs/api-keys/src/api-key.entity.js';
import { TypeOrmApiKeyStore } from '../../libs/api-keys/src/typeorm-api-key.store.js';
import { SessionRecord } from '../../libs/sessions/src/session.entity.js';
import { TypeOrmSessionStore } from '../../libs/sessions/src/typeorm-session.store.js';
import { RefreshToken } from '../../libs/tokens/src/refresh-token.entity.js';
import { TypeOrmRefreshTokenStore } from '../../libs/tokens/src/typeorm-refresh-token.store.js';

// better-sqlite3 runs every TypeORM query on one connection: a write sent while another caller's
// transaction is open joins it, and a rollback takes the write with it. Each overlap below starts
// a rotation that rolls back (its family is revoked) and sends a write at every point of it.
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const HOUR = 3_600_000;
const OFFSETS = Array.from({ length: 12 }, (_, index) => index);

const ticks = async (count: number): Promise<void> => {
  for (let i = 0; i < count; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('SQLite: no write joins another caller\'s transaction', () => {
  let dataSource: DataSource;
  let refresh: TypeOrmRefreshTokenStore;
  let sessions: TypeOrmSessionStore;
  let keys: TypeOrmApiKeyStore;
  let families: Repository<RefreshFamily>;

  beforeEach(async () => {
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [...tokensEntities, ...sessionsEntities, ...apiKeysEntities],
      synchronize: true,
    }).initialize();
    refresh = new TypeOrmRefreshTokenStore(() => dataSource);
    sessions = new TypeOrmSessionStore(dataSource.getRepository(SessionRecord));
    keys = new TypeOrmApiKeyStore(dataSource);
    families = dataSource.getRepository(RefreshFamily);
  });
  afterEach(async () => {
    await dataSource.destroy();
  });

  /** A family with one unspent token; returns the token hash. */
  async function family(id: string): Promise<string> {
    const tokenHash = randomUUID().replace(/-/g, '').padEnd(64, '0');
    await refresh.createFamily(
      { id, subject: 'u1', scopes: 'a', createdAt: T0, lastUsedAt: T0, expiresAt: T0 + HOUR, idleExpiresAt: T0 + HOUR, revokedAt: null, revokedReason: null, purgeAfter: T0 + 2 * HOUR, ip: null, userAgent: null },
      { tokenHash, familyId: id, createdAt: T0, spentAt: null, successorHash: null },
    );
    return tokenHash;
  }

  /** Starts a rotation of `tokenHash` that will find its family gone and roll back. */
  function doomedSpend(tokenHash: string, familyId: string): Promise<string> {
    const successor = { tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '1'), familyId, createdAt: T0, spentAt: null, successorHash: null };
    // The family id does not match: the family UPDATE affects no row and the spend rolls back.
    return refresh.spend(tokenHash, successor, `${familyId}-gone`, { lastUsedAt: T0 + 1, idleExpiresAt: T0 + HOUR, purgeAfter: T0 + 2 * HOUR, ip: null, userAgent: null });
  }

  it.each(OFFSETS)('revokeFamily overlapping a rolled-back spend() stays revoked (offset %i)', async (offset) => {
    const spending = await family('spending');
    await family('victim');
    const rotation = doomedSpend(spending, 'spending');
    await ticks(offset);
    const revoked = await refresh.revokeFamily('victim', 'logout', T0 + 5, T0 + 2 * HOUR);
    expect(await rotation).toBe('family_revoked');
    expect(revoked?.revokedAt).toBe(T0 + 5);
    expect((await families.findOneByOrFail({ id: 'victim' })).revokedAt).toBe(T0 + 5);
    // The rolled-back spend left its token unspent.
    expect((await dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: spending })).spentAt).toBeNull();
  });

  it.each(OFFSETS)('a session delete and a key revocation overlapping a rolled-back spend() persist (offset %i)', async (offset) => {
    const spending = await family('spending');
    const sessionId = randomUUID();
    await sessions.insert(
      Object.assign(new SessionRecord(), {
        id: sessionId, tokenHash: 'h'.repeat(64), subject: 'u1', scopes: 'a', createdAt: T0, lastSeenAt: T0,
        idleExpiresAt: T0 + HOUR, absoluteExpiresAt: T0 + HOUR, authTime: T0, ip: null, userAgent: null,
      }),
    );
    const keyId = randomUUID();
    await keys.insert(
      Object.assign(new ApiKey(), {
        id: keyId, hash: 'k'.repeat(64), hint: 'gh_live_…abcd', ownerId: 'u1', name: 'ci', scopes: 'a', createdAt: T0,
        expiresAt: null, revokedAt: null, lastUsedAt: null, lastUsedNetwork: null, usageCount: 0, rotatedFromId: null, replacedById: null,
      }),
    );
    const rotation = doomedSpend(spending, 'spending');
    await ticks(offset);
    const [deleted, revokedKey] = await Promise.all([sessions.delete({ id: sessionId }), keys.revoke(keyId, 'u1', T0 + 7)]);
    expect(await rotation).toBe('family_revoked');
    expect(deleted.map((row) => row.id)).toEqual([sessionId]);
    expect(revokedKey?.revokedAt).toBe(T0 + 7);
    expect(await dataSource.getRepository(SessionRecord).countBy({ id: sessionId })).toBe(0);
    expect((await dataSource.getRepository(ApiKey).findOneByOrFail({ id: keyId })).revokedAt).toBe(T0 + 7);
  });
});
