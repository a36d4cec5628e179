import type { RefreshFamily } from './refresh-family.entity.js';
import type { RefreshToken } from './refresh-token.entity.js';

/** A stored refresh family as the library reads it. */
export type RefreshFamilyRecord = RefreshFamily;
/** A stored refresh token (its hash) as the library reads it. */
export type RefreshTokenRecord = RefreshToken;

/** What a rotation changes on the family besides spending the token. */
export interface FamilyTouch {
  lastUsedAt: number;
  idleExpiresAt: number;
  purgeAfter: number;
  ip: string | null;
  userAgent: string | null;
}

/** The outcome of `spend`: exactly one concurrent caller gets `rotated`. */
export type SpendOutcome = 'rotated' | 'already_spent' | 'family_revoked';

/**
 * Where refresh families live. The default runs on the app's TypeORM DataSource; replace it
 * through the `RefreshTokenStore` provider. Methods that change a family return it only when they
 * changed it.
 */
export interface RefreshTokenStore {
  /** Inserts a family and its first token, atomically. */
  createFamily(family: RefreshFamilyRecord, firstToken: RefreshTokenRecord): Promise<void>;
  /** The token with this hash and its family, if both exist. */
  findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamilyRecord } | undefined>;
  /**
   * Atomically: spends the token if unspent (a conditional update that exactly one concurrent
   * caller wins), records its successor's hash, inserts the successor and touches the family —
   * unless the family was revoked meanwhile.
   */
  spend(tokenHash: string, successor: RefreshTokenRecord, familyId: string, touch: FamilyTouch): Promise<SpendOutcome>;
  /** Revokes one family if not revoked yet (and, given `subject`, only if it is theirs). */
  revokeFamily(familyId: string, reason: string, at: number, purgeAfter: number, subject?: string): Promise<RefreshFamilyRecord | undefined>;
  /** Revokes every unrevoked family of `subject`; returns their ids. */
  revokeSubject(subject: string, reason: string, at: number, purgeAfter: number): Promise<string[]>;
  /** Families of `subject` neither revoked nor expired at `now`, least recently used first. */
  listLive(subject: string, now: number): Promise<RefreshFamilyRecord[]>;
  /** Deletes up to `batchSize` families due for purging at `now`, with their tokens; returns how many families. */
  purgeBatch(now: number, batchSize: number): Promise<number>;
}

/** Injection token of the `RefreshTokenStore` port. */
export const RefreshTokenStore = Symbol('gatehouse:RefreshTokenStore');
