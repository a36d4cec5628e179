import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiKey } from './api-key.entity.js';
import type { ApiKeyRecord, ApiKeyStore, ApiKeyUsageDelta } from './api-key-store.interface.js';

/** The default `ApiKeyStore`: the `api_keys` table on the app's DataSource (SQLite or PostgreSQL). */
@Injectable()
export class TypeOrmApiKeyStore implements ApiKeyStore {
  constructor(@InjectDataSource() protected readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKey);
  }

  async insert(key: ApiKeyRecord): Promise<void> {
    await this.keys.insert(key);
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
    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(ApiKey)
        .set({ revokedAt: at })
        .where('id = :id AND owner_id = :ownerId AND revoked_at IS NULL', { id, ownerId })
        .execute();
      return result.affected ? manager.findOneBy(ApiKey, { id }) : null;
    });
  }

  async rotate(id: string, ownerId: string, successor: ApiKeyRecord, graceExpiresAt: number, now: number): Promise<ApiKeyRecord | null> {
    return this.dataSource.transaction(async (manager) => {
      // One conditional UPDATE claims the key, so two concurrent rotations yield one successor.
      const result = await manager
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
      await manager.insert(ApiKey, successor);
      return manager.findOneBy(ApiKey, { id });
    });
  }

  async recordUsage(deltas: readonly ApiKeyUsageDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (const delta of deltas) await this.addUsage(manager, delta);
    });
  }

  private async addUsage(manager: EntityManager, delta: ApiKeyUsageDelta): Promise<void> {
    // Counts add up and times only move forward, so batches from several instances merge correctly.
    await manager
      .createQueryBuilder()
      .update(ApiKey)
      .set({
        usageCount: () => 'usage_count + :count',
        lastUsedNetwork: () =>
          'CASE WHEN last_used_at IS NULL OR last_used_at <= :at THEN COALESCE(:network, last_used_network) ELSE last_used_network END',
        lastUsedAt: () => 'CASE WHEN last_used_at IS NULL OR last_used_at < :at THEN :at ELSE last_used_at END',
      })
      .where('id = :id', { id: delta.id })
      .setParameters({ count: delta.count, at: delta.lastUsedAt, network: delta.network ?? null })
      .execute();
  }
}
