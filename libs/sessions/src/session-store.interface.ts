import type { SessionRecord } from './session.entity.js';

/** Which sessions a delete applies to: one by id, all of a subject, all of a subject but one. */
export interface SessionSelector {
  id?: string;
  subject?: string;
  exceptId?: string;
}

/**
 * Where sessions live. The default keeps them in the app's TypeORM DataSource; provide another
 * implementation under the `SessionStore` token to keep them elsewhere.
 */
export interface SessionStore {
  insert(record: SessionRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<SessionRecord | null>;
  findById(id: string): Promise<SessionRecord | null>;
  /** Moves `last seen` and the idle expiry forward; never backward (two instances may race). */
  touch(id: string, lastSeenAt: number, idleExpiresAt: number): Promise<void>;
  /**
   * Deletes the selected sessions and returns them (so their cache entries can be dropped). With an
   * `id`, atomic: of concurrent deletes of one session, exactly one gets the row back (rotation and
   * logout rely on it).
   */
  delete(selector: SessionSelector): Promise<SessionRecord[]>;
  /** The subject's sessions that have not expired at `now`, most recently used first. */
  listActive(subject: string, now: number): Promise<SessionRecord[]>;
  /** The subject's sessions, `exceptId` aside, other than the `keep` most recently created ones. */
  olderThanNewest(subject: string, keep: number, exceptId?: string): Promise<SessionRecord[]>;
  /** Deletes up to `limit` sessions expired at `now`; returns how many went. */
  purgeExpired(now: number, limit: number): Promise<number>;
}

/** Injection token of the `SessionStore` port. */
export const SessionStore = Symbol('gatehouse:SessionStore');
