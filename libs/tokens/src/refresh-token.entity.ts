import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@gatehouse/core';

/**
 * One refresh token of a family. Only its SHA-256 hash is stored. A token is live until spent by
 * one rotation; spent tokens stay (until the family is purged) so that presenting one again is
 * recognised as reuse.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshToken {
  /** SHA-256 of the token, lower-case hex. */
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('idx_refresh_tokens_family')
  @Column({ name: 'family_id', type: 'varchar', length: 43 })
  familyId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  /** Set once, by the rotation that spent it (a conditional update: `WHERE spent_at IS NULL`). */
  @Column({ name: 'spent_at', type: 'bigint', nullable: true, transformer: epochMillis })
  spentAt!: number | null;

  /** Hash of the token that replaced it, to answer a duplicate within the leeway with the same one. */
  @Column({ name: 'successor_hash', type: 'varchar', length: 64, nullable: true })
  successorHash!: string | null;
}
