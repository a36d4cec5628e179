import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from './epoch-millis.transformer.js';

/**
 * One revocation in force (`sid:<id>`, `sub:<subject>`, `api-key:<id>`): the source of truth
 * every instance loads at start and polls by `revoked_at`, so a revocation outlives Redis and
 * every process. Rows leave once the credentials they name would have expired anyway.
 */
@Entity({ name: 'gatehouse_revocations' })
export class RevocationRecord {
  @PrimaryColumn({ name: 'revocation_key', type: 'varchar', length: 300, primaryKeyConstraintName: 'PK_gatehouse_revocations' })
  key!: string;

  /** When the revocation was made (epoch ms); a later one of the same key replaces it. */
  @Index('idx_gatehouse_revocations_revoked_at')
  @Column({ name: 'revoked_at', type: 'bigint', transformer: epochMillis })
  revokedAt!: number;

  /** When it stops mattering (epoch ms): the latest expiry of what it names. */
  @Index('idx_gatehouse_revocations_expires_at')
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;
}
