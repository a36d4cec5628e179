import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@gatehouse/core';

/**
 * A refresh family: one sign-in on one device, and every refresh token rotated from it. Its id
 * is the `sid` of the access tokens it issues, so revoking the family revokes them too.
 */
@Entity({ name: 'refresh_families' })
@Index('idx_refresh_families_subject', ['subject', 'lastUsedAt'])
export class RefreshFamily {
  /** 128 random bits, base64url. Not a secret: it names the family in lists and in `sid`. */
  @PrimaryColumn({ type: 'varchar', length: 43 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** Space-separated scopes granted at sign-in; rotation never widens them. */
  @Column({ type: 'varchar', length: 2048 })
  scopes!: string;

  /** When the family started: the subject's authentication time. */
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'last_used_at', type: 'bigint', transformer: epochMillis })
  lastUsedAt!: number;

  /** Absolute end, fixed at creation: rotation never extends it. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;

  /** Idle end: `lastUsedAt` + the idle lifetime, capped by `expiresAt`. */
  @Column({ name: 'idle_expires_at', type: 'bigint', transformer: epochMillis })
  idleExpiresAt!: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMillis })
  revokedAt!: number | null;

  /** Why it was revoked: `reuse_detected`, `logout`, `family_limit`, `password_changed`, … */
  @Column({ name: 'revoked_reason', type: 'varchar', length: 64, nullable: true })
  revokedReason!: string | null;

  /** When the purge may delete the family and its tokens. */
  @Index('idx_refresh_families_purge')
  @Column({ name: 'purge_after', type: 'bigint', transformer: epochMillis })
  purgeAfter!: number;

  /** Client IP at the latest sign-in or refresh. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;
}
