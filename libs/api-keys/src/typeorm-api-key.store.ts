import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { serializeWrite } from '@gatehouse/core';
import { ApiKey } from './api-key.entity.js';
import type { ApiKeyRecord, ApiKeyStore, ApiKeyUsageDelta } from './api-key-store.interface.js';

/**
 * The default `ApiKeyStore`: the `api_keys` table on the app's DataSource (SQLite or PostgreSQL).
 * Writes wait in core's write queue, so on SQLite none can join another caller's transaction.
 */
@Injectable()
export class TypeOrmApiKeyStore implements ApiKeyStore {
  constructor(@InjectDataSource() protected readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKey);
  }

  async insert(key: ApiKeyRecord): Promise<void> {
    // A copy: TypeORM writes generated values back into the inserted object, untransformed.
    await this.write(() => this.keys.insert({ ...key }));
  }

  findByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.keys.findOneBy({ hash });
  }

  findById(id: string): Promise<ApiKeyRecord | null> {
    return this.keys.findOneBy({ id });
  }

  listByOwner(ownerId: string): Promise<ApiKeyRecord[]> {
    return this.keys.find({ where: { ownerId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  countActive(ownerId: string, now: number): Promise<number> {
    return this.keys
      .createQueryBuilder('key')
      .where('key.owner_id = :ownerId AND key.revoked_at IS NULL', { ownerId })
      .andWhere('(key.expires_at IS NULL OR key.expires_at > :now)', { now })
      .getCount();
  }

  async revoke(id: string, ownerId: string, at: number): Promise<ApiKeyRecord | null> {
    const result = await this.write(() =>
      this.keys.createQueryBuilder().update(ApiKey).set({ revokedAt: at }).where('id = :id AND owner_id = :ownerId AND revoked_at IS NULL', { id, ownerId }).execute(),
    );
    return result.affected ? this.findById(id) : null;
  }

  /**
   * No transaction: better-sqlite3 shares one connection, where overlapping transactions (from
   * any library) fail. One conditional UPDATE claims the key, so two concurrent rotations yield
   * one successor; if inserting the successor fails, the claim is undone.
   */
  rotate(id: string, ownerId: string, successor: ApiKeyRecord, graceExpiresAt: number, now: number): Promise<ApiKeyRecord | null> {
    return this.write(() => this.rotateNow(id, ownerId, successor, graceExpiresAt, now));
  }

  private async rotateNow(id: string, ownerId: string, successor: ApiKeyRecord, graceExpiresAt: number, now: number): Promise<ApiKeyRecord | null> {
    const before = await this.findById(id);
    if (!before) return null;
    const result = await this.keys
      .createQueryBuilder()
      .update(ApiKey)
      .set({
        replacedById: successor.id,
        expiresAt: () => 'CASE WHEN expires_at IS NOT NULL AND expires_at < :grace THEN expires_at ELSE :grace END',
      })
      .where('id = :id AND owner_id = :ownerId AND revoked_at IS NULL AND replaced_by_id IS NULL', { id, ownerId })
      .andWhere('(expires_at IS NULL OR expires_at > :now)', { now })
      .setParameter('grace', graceExpiresAt)
      .execute();
    if (!result.affected) return null;
    try {
      await this.keys.insert({ ...successor });
    } catch (error) {
      await this.keys.update({ id, replacedById: successor.id }, { replacedById: null, expiresAt: before.expiresAt });
      throw error;
    }
    return this.findById(id);
  }

  /**
   * One statement for the whole batch (UPDATE … FROM VALUES, on PostgreSQL and SQLite ≥ 3.33), so
   * it applies entirely or not at all. Counts add up and times only move forward, so batches from
   * several instances merge correctly.
   */
  async recordUsage(deltas: readonly ApiKeyUsageDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const parameters: Record<string, string | number | null> = {};
    const rows = deltas.map((delta, index) => {
      Object.assign(parameters, { [`id${index}`]: delta.id, [`n${index}`]: delta.count, [`at${index}`]: delta.lastUsedAt, [`net${index}`]: delta.network ?? null });
      return `(CAST(:id${index} AS varchar(36)), CAST(:n${index} AS bigint), CAST(:at${index} AS bigint), CAST(:net${index} AS varchar(64)))`;
    });
    // VALUES columns are column1…column4 on both databases (SQLite takes no column list on the alias).
    const sql = `UPDATE api_keys SET
        usage_count = api_keys.usage_count + u.column2,
        last_used_network = CASE WHEN api_keys.last_used_at IS NULL OR api_keys.last_used_at <= u.column3
          THEN COALESCE(u.column4, api_keys.last_used_network) ELSE api_keys.last_used_network END,
        last_used_at = CASE WHEN api_keys.last_used_at IS NULL OR api_keys.last_used_at < u.column3
          THEN u.column3 ELSE api_keys.last_used_at END
      FROM (VALUES ${rows.join(', ')}) AS u
      WHERE api_keys.id = u.column1`;
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    await this.write(() => this.dataSource.query(query, values));
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    return serializeWrite(this.dataSource, work);
  }
}
