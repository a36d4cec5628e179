import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { serializeWrite } from '@gatehouse/core';
import { In, LessThan, LessThanOrEqual, MoreThan, type FindOptionsWhere, type Repository } from 'typeorm';
import { SessionRecord } from './session.entity.js';
import type { SessionSelector, SessionStore } from './session-store.interface.js';

/**
 * The default `SessionStore`: the `sessions` table in the app's DataSource (SQLite or PostgreSQL).
 * Writes wait in core's write queue, so on SQLite none can join another caller's transaction.
 */
@Injectable()
export class TypeOrmSessionStore implements SessionStore {
  constructor(@InjectRepository(SessionRecord) protected readonly sessions: Repository<SessionRecord>) {}

  async insert(record: SessionRecord): Promise<void> {
    await this.write(() => this.sessions.insert(record));
  }

  findByHash(tokenHash: string): Promise<SessionRecord | null> {
    return this.sessions.findOneBy({ tokenHash });
  }

  findById(id: string): Promise<SessionRecord | null> {
    return this.sessions.findOneBy({ id });
  }

  async touch(id: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
    await this.write(() => this.sessions.update({ id, lastSeenAt: LessThan(lastSeenAt) }, { lastSeenAt, idleExpiresAt }));
  }

  async delete(selector: SessionSelector): Promise<SessionRecord[]> {
    if (selector.id === undefined && selector.subject === undefined) throw new TypeError('SessionStore.delete needs an id or a subject');
    const rows = (await this.sessions.findBy(this.where(selector))).filter((row) => row.id !== selector.exceptId);
    if (rows.length === 0) return rows;
    if (selector.id !== undefined) {
      // One session (logout, rotation): only the caller whose DELETE removed the row gets it back,
      // so of two concurrent rotations exactly one wins.
      const result = await this.write(() => this.sessions.delete({ id: selector.id }));
      return result.affected === 0 ? [] : rows;
    }
    await this.write(() => this.sessions.delete({ id: In(rows.map((row) => row.id)) }));
    return rows;
  }

  listActive(subject: string, now: number): Promise<SessionRecord[]> {
    return this.sessions.find({
      where: { subject, idleExpiresAt: MoreThan(now), absoluteExpiresAt: MoreThan(now) },
      order: { lastSeenAt: 'DESC', id: 'ASC' },
    });
  }

  async olderThanNewest(subject: string, keep: number, exceptId?: string): Promise<SessionRecord[]> {
    // A subject has at most the cap plus a few racing logins: ordering in memory is cheap.
    const rows = await this.sessions.find({ where: { subject }, order: { createdAt: 'DESC', id: 'DESC' } });
    return rows.filter((row) => row.id !== exceptId).slice(keep);
  }

  async purgeExpired(now: number, limit: number): Promise<number> {
    const expired = await this.sessions.find({
      select: { id: true },
      where: [{ idleExpiresAt: LessThanOrEqual(now) }, { absoluteExpiresAt: LessThanOrEqual(now) }],
      take: limit,
    });
    if (expired.length === 0) return 0;
    const result = await this.write(() => this.sessions.delete({ id: In(expired.map((row) => row.id)) }));
    return result.affected ?? expired.length;
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    return serializeWrite(this.sessions.manager.connection, work);
  }

  private where(selector: SessionSelector): FindOptionsWhere<SessionRecord> {
    const where: FindOptionsWhere<SessionRecord> = {};
    if (selector.id !== undefined) where.id = selector.id;
    if (selector.subject !== undefined) where.subject = selector.subject;
    return where;
  }
}
