import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@gatehouse/core';

/**
 * A stored API key. The key itself is never stored: only its SHA-256 hash (hex), which is how a
 * presented key is looked up, and a short non-secret hint for lists.
 */
@Entity({ name: 'api_keys' })
@Index('idx_api_keys_owner', ['ownerId', 'createdAt'])
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** SHA-256 of the whole key, lower-case hex. */
  @Index('uq_api_keys_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /** Prefix and last four characters, e.g. `gh_live_…x9Qz`: enough to recognise a key, useless to use it. */
  @Column({ type: 'varchar', length: 48 })
  hint!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Space-separated scopes. */
  @Column({ type: 'varchar', length: 2048 })
  scopes!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMillis })
  expiresAt!: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt!: number | null;

  /** Written behind, at most once a minute per key. */
  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMillis })
  lastUsedAt!: number | null;

  /** The network (/24 or /64) the key was last used from, to spot use from a new one. */
  @Column({ name: 'last_used_network', type: 'varchar', length: 64, nullable: true })
  lastUsedNetwork!: string | null;

  /** Requests authenticated by this key, written behind. */
  @Column({ name: 'usage_count', type: 'bigint', default: 0, transformer: epochMillis })
  usageCount!: number;

  /** The key this one replaced by rotation, if any. */
  @Column({ name: 'rotated_from_id', type: 'varchar', length: 36, nullable: true })
  rotatedFromId!: string | null;

  /** The key that replaced this one by rotation, if any: a key is rotated at most once. */
  @Column({ name: 'replaced_by_id', type: 'varchar', length: 36, nullable: true })
  replacedById!: string | null;
}

/** The entities to add to the app's DataSource (or load with `autoLoadEntities`). */
export const apiKeysEntities = [ApiKey];
