import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, GatehouseError, SecurityEvents } from '@gatehouse/core';
import { SessionRecord } from './session.entity.js';
import type { IssuedSession, SessionEndReason, SessionMeta, SessionView } from './session.interfaces.js';
import { SessionRevocations } from './session-revocations.js';
import { deriveCsrfToken, generateSessionSecret, hashSessionSecret, isSessionSecret } from './session-secret.js';
import { SessionStore } from './session-store.interface.js';
import { splitScopes } from './session.verifier.js';
import { SESSIONS_OPTIONS } from './sessions.constants.js';
import type { ResolvedSessionsOptions } from './sessions-options.interface.js';

/** What `rotate` may change on the way: new scopes, or a fresh proof of identity. */
export interface RotateSessionChanges {
  scopes?: readonly string[];
  /** Set when the subject just re-authenticated: the new session also gets a full absolute lifetime. */
  authTime?: number;
  meta?: Pick<SessionMeta, 'ip' | 'userAgent'>;
}

/**
 * Creates, rotates, lists and ends sessions. Cookies are written by `SessionCookie`; requests are
 * authenticated by `SessionMechanism` (the guard) or the `session` passport strategy.
 *
 * @example
 * const issued = await sessions.login(user.id, user.scopes, sessionMetaFrom(req), sessionCookie.readAll(req));
 * sessionCookie.write(res, issued);
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(SessionStore) private readonly store: SessionStore,
    private readonly revocations: SessionRevocations,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(SESSIONS_OPTIONS) private readonly options: ResolvedSessionsOptions,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * Signs `subject` in with a brand-new session. Session cookies sent with the login request are
   * never adopted (fixation): a valid one is ended, an unknown one is reported. Beyond the
   * per-subject cap, the oldest sessions end.
   */
  async login(subject: string, scopes: readonly string[], meta: SessionMeta = {}, previous?: string | readonly string[]): Promise<IssuedSession> {
    await this.endPrevious(previous, meta.ip);
    const now = this.clock.now();
    const issued = await this.create(subject, scopes, meta, now, now + this.options.absoluteTimeoutMs);
    await this.enforceCap(subject, issued.id);
    this.events.emit('session.created', { subject, sessionId: issued.id, ip: meta.ip });
    return issued;
  }

  /**
   * Replaces a session by a new one (new secret, new id, new CSRF token) and ends the old: call it
   * on every privilege change. Write the returned session's cookie.
   */
  async rotate(sessionId: string, changes: RotateSessionChanges = {}): Promise<IssuedSession> {
    const [current] = await this.store.delete({ id: sessionId });
    if (!current) throw new GatehouseError('invalid_session', { mechanism: 'session' });
    await this.revocations.ended([current], 'rotated');
    const now = this.clock.now();
    const absoluteExpiresAt = changes.authTime !== undefined ? now + this.options.absoluteTimeoutMs : current.absoluteExpiresAt;
    const meta: SessionMeta = {
      ip: changes.meta?.ip ?? current.ip ?? undefined,
      userAgent: changes.meta?.userAgent ?? current.userAgent ?? undefined,
      authTime: changes.authTime ?? current.authTime,
    };
    const issued = await this.create(current.subject, changes.scopes ?? splitScopes(current.scopes), meta, now, absoluteExpiresAt);
    this.events.emit('session.rotated', { subject: current.subject, sessionId: issued.id, previousSessionId: current.id });
    return issued;
  }

  /** Ends one session (logout). Resolves false when it no longer exists. */
  async destroy(sessionId: string, reason: SessionEndReason = 'logout'): Promise<boolean> {
    return (await this.end({ id: sessionId }, reason)) > 0;
  }

  /** The subject's live sessions, most recently used first; never a secret. */
  async list(subject: string): Promise<SessionView[]> {
    const rows = await this.store.listActive(subject, this.clock.now());
    return rows.map(toView);
  }

  /** Ends one of the subject's sessions; false when no such session belongs to the subject. */
  async revoke(subject: string, sessionId: string): Promise<boolean> {
    return (await this.end({ id: sessionId, subject }, 'revoked')) > 0;
  }

  /** Ends every session of the subject except `currentId` ("sign out everywhere else"). */
  revokeOthers(subject: string, currentId: string | undefined): Promise<number> {
    return this.end({ subject, exceptId: currentId }, 'revoked_others');
  }

  /** Ends every session of the subject (account disabled or deleted). */
  revokeAll(subject: string): Promise<number> {
    return this.end({ subject }, 'revoked_all');
  }

  /** The CSRF token of the session whose cookie secret this is. */
  csrfToken(secret: string): string {
    return deriveCsrfToken(secret);
  }

  private async create(subject: string, scopes: readonly string[], meta: SessionMeta, now: number, absoluteExpiresAt: number): Promise<IssuedSession> {
    if (!subject) throw new TypeError('A session needs a subject');
    const secret = generateSessionSecret();
    const record = Object.assign(new SessionRecord(), {
      id: randomUUID(),
      tokenHash: hashSessionSecret(secret),
      subject,
      scopes: scopes.join(' '),
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: Math.min(now + this.options.idleTimeoutMs, absoluteExpiresAt),
      absoluteExpiresAt,
      authTime: meta.authTime ?? now,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, this.options.userAgentMaxLength) ?? null,
    });
    await this.store.insert(record);
    return {
      id: record.id,
      secret,
      csrfToken: deriveCsrfToken(secret),
      subject,
      scopes: [...scopes],
      authTime: record.authTime,
      idleExpiresAt: record.idleExpiresAt,
      absoluteExpiresAt,
    };
  }

  private async endPrevious(previous: string | readonly string[] | undefined, ip: string | undefined): Promise<void> {
    const secrets = previous === undefined ? [] : typeof previous === 'string' ? [previous] : previous;
    for (const secret of secrets) {
      const record = isSessionSecret(secret) ? await this.store.findByHash(hashSessionSecret(secret)) : null;
      if (record) await this.end({ id: record.id }, 'replaced_at_login');
      else this.events.emit('session.unknown_cookie', { ip, at_login: true });
    }
  }

  /**
   * Deletes the subject's sessions beyond the cap, oldest first, keeping the new one. Runs after the
   * insert has committed, so concurrent logins each see the others' rows and the last one to look
   * trims to the cap: parallel logins cannot leave more than the cap behind.
   */
  private async enforceCap(subject: string, newId: string): Promise<void> {
    const excess = await this.store.olderThanNewest(subject, this.options.maxSessionsPerSubject - 1, newId);
    if (excess.length === 0) return;
    const ended = (await Promise.all(excess.map((record) => this.store.delete({ id: record.id })))).flat();
    await this.revocations.ended(ended, 'evicted');
  }

  private async end(selector: { id?: string; subject?: string; exceptId?: string }, reason: SessionEndReason): Promise<number> {
    const ended = await this.store.delete(selector);
    await this.revocations.ended(ended, reason);
    return ended.length;
  }
}

function toView(record: SessionRecord): SessionView {
  return {
    id: record.id,
    createdAt: record.createdAt,
    lastSeenAt: record.lastSeenAt,
    expiresAt: Math.min(record.idleExpiresAt, record.absoluteExpiresAt),
    absoluteExpiresAt: record.absoluteExpiresAt,
    authTime: record.authTime,
    ip: record.ip,
    userAgent: record.userAgent,
  };
}
