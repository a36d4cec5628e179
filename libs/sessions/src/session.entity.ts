import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@gatehouse/core';

/**
 * One signed-in browser. The cookie's 256-bit secret is never stored: only its SHA-256 hash,
 * which identifies the row. `id` is a separate random, non-secret id that is safe to show the
 * user and to put in logs. The CSRF token is derived from the cookie secret, so nothing about it
 * is stored either.
 */
@Entity({ name: 'sessions' })
@Index('idx_sessions_subject_created', ['subject', 'createdAt'])
@Index('idx_sessions_idle_expires', ['idleExpiresAt'])
@Index('idx_sessions_absolute_expires', ['absoluteExpiresAt'])
export class SessionRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Hex SHA-256 of the cookie secret. */
  @Index('uq_sessions_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** Space-separated scopes granted to the session. */
  @Column({ type: 'varchar', length: 1024 })
  scopes!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'last_seen_at', type: 'bigint', transformer: epochMillis })
  lastSeenAt!: number;

  /** When the session ends unless used again (sliding; never after `absoluteExpiresAt`). */
  @Column({ name: 'idle_expires_at', type: 'bigint', transformer: epochMillis })
  idleExpiresAt!: number;

  /** When the session ends whatever happens. */
  @Column({ name: 'absolute_expires_at', type: 'bigint', transformer: epochMillis })
  absoluteExpiresAt!: number;

  /** When the subject last proved who they are (password, second factor). */
  @Column({ name: 'auth_time', type: 'bigint', transformer: epochMillis })
  authTime!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;
}

/** The entities of `@gatehouse/sessions`, for the app's TypeORM configuration. */
export const sessionsEntities = [SessionRecord];
