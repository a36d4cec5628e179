import { In, IsNull, LessThanOrEqual, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { serializedTransaction, serializeWrite } from '@gatehouse/core';
import { RefreshFamily } from './refresh-family.entity.js';
import type { FamilyTouch, RefreshFamilyRecord, RefreshTokenRecord, RefreshTokenStore, SpendOutcome } from './refresh-token-store.interface.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RefreshStatements } from './refresh-token.statements.js';

class FamilyRevoked extends Error {}

/**
 * The default `RefreshTokenStore`, on the app's TypeORM DataSource (SQLite or PostgreSQL).
 * Rotation hinges on a conditional `UPDATE … WHERE spent_at IS NULL` whose affected-row count
 * decides the single winner. On PostgreSQL it is one statement (`RefreshStatements`): concurrent
 * rotations block on the token's row lock and then see the winner's commit. On SQLite it is one
 * transaction, and since TypeORM runs everything there on one connection, every write and
 * transaction waits in core's one write queue (`serializeWrite`), so no write can land inside
 * another's transaction and be rolled back with it.
 */
export class TypeOrmRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly resolveDataSource: () => DataSource) {}

  private get dataSource(): DataSource {
    return this.resolveDataSource();
  }

  async createFamily(family: RefreshFamilyRecord, firstToken: RefreshTokenRecord): Promise<void> {
    await this.transaction(async (manager) => {
      await manager.insert(RefreshFamily, family);
      await manager.insert(RefreshToken, firstToken);
    });
  }

  async findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | undefined> {
    return RefreshStatements.of(this.dataSource).findToken(tokenHash);
  }

  async spend(tokenHash: string, successor: RefreshTokenRecord, familyId: string, touch: FamilyTouch): Promise<SpendOutcome> {
    const statements = RefreshStatements.of(this.dataSource);
    if (statements.spendsInOneStatement) return statements.rotate(tokenHash, successor, familyId, touch);
    try {
      return await this.transaction(async (manager) => {
        const queryRunner = manager.queryRunner!;
        if (!(await statements.spend(queryRunner, tokenHash, successor, touch))) return 'already_spent';
        // Revoked (or expired) since it was read: undo the spend, issue nothing.
        if (!(await statements.touch(queryRunner, familyId, touch))) throw new FamilyRevoked();
        await statements.insertSuccessor(queryRunner, successor);
        return 'rotated';
      });
    } catch (error) {
      if (error instanceof FamilyRevoked) return 'family_revoked';
      throw error;
    }
  }

  async revokeFamily(familyId: string, reason: string, at: number, purgeAfter: number, subject?: string): Promise<RefreshFamilyRecord | undefined> {
    const where = subject === undefined ? { id: familyId, revokedAt: IsNull() } : { id: familyId, subject, revokedAt: IsNull() };
    const dataSource = this.dataSource;
    const result = await serializeWrite(dataSource, () =>
      dataSource.createQueryBuilder().update(RefreshFamily).set({ revokedAt: at, revokedReason: reason, purgeAfter }).where(where).execute(),
    );
    if (result.affected !== 1) return undefined;
    return (await this.dataSource.getRepository(RefreshFamily).findOneBy({ id: familyId })) ?? undefined;
  }

  async revokeSubject(subject: string, reason: string, at: number, purgeAfter: number): Promise<string[]> {
    return this.transaction(async (manager) => {
      const families = await manager.find(RefreshFamily, { select: { id: true }, where: { subject, revokedAt: IsNull() } });
      if (families.length === 0) return [];
      const ids = families.map((family) => family.id);
      await manager
        .createQueryBuilder()
        .update(RefreshFamily)
        .set({ revokedAt: at, revokedReason: reason, purgeAfter })
        .where({ id: In(ids), revokedAt: IsNull() })
        .execute();
      return ids;
    });
  }

  async listLive(subject: string, now: number): Promise<RefreshFamilyRecord[]> {
    return this.dataSource.getRepository(RefreshFamily).find({
      where: { subject, revokedAt: IsNull(), expiresAt: MoreThan(now), idleExpiresAt: MoreThan(now) },
      order: { lastUsedAt: 'ASC', id: 'ASC' },
    });
  }

  async purgeBatch(now: number, batchSize: number): Promise<number> {
    const due = await this.dataSource.getRepository(RefreshFamily).find({
      select: { id: true },
      where: { purgeAfter: LessThanOrEqual(now) },
      order: { purgeAfter: 'ASC' },
      take: batchSize,
    });
    if (due.length === 0) return 0;
    const ids = due.map((family) => family.id);
    await this.transaction(async (manager) => {
      await manager.delete(RefreshToken, { familyId: In(ids) });
      await manager.delete(RefreshFamily, { id: In(ids), purgeAfter: LessThanOrEqual(now) });
    });
    return ids.length;
  }

  /** A transaction; on single-connection drivers, queued behind every earlier write. */
  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return serializedTransaction(this.dataSource, work);
  }
}
