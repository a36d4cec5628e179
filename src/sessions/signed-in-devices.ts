import { Injectable, Optional } from '@nestjs/common';
import type { Principal } from '@gatehouse/core';
import { SessionService } from '@gatehouse/sessions';
import { RefreshFamilies } from '@gatehouse/tokens';

/** One signed-in device as `GET /auth/sessions` shows it: a cookie session or a refresh family. */
export interface DeviceView {
  type: 'session' | 'refresh-family';
  id: string;
  /** True for the session or refresh family the request itself came with. */
  current: boolean;
  /** The client's `User-Agent` at sign-in (sessions) or latest refresh (families). */
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/**
 * Everything a user is signed in with — browser sessions and refresh-token families — listed and
 * revoked together, so "sign out that device" works whatever kind of client it was. Refresh
 * families are included whenever `TokensModule` is part of the app.
 */
@Injectable()
export class SignedInDevices {
  constructor(
    private readonly sessions: SessionService,
    @Optional() private readonly families?: RefreshFamilies,
  ) {}

  async list(principal: Principal): Promise<DeviceView[]> {
    const { mechanism, id, sessionId } = principal.credential;
    const [sessions, families] = await Promise.all([this.sessions.list(principal.subject), this.families?.listActive(principal.subject) ?? []]);
    const views: DeviceView[] = sessions.map((session) => ({
      type: 'session',
      id: session.id,
      current: mechanism === 'session' && id === session.id,
      userAgent: session.userAgent,
      ip: session.ip,
      createdAt: iso(session.createdAt),
      lastSeenAt: iso(session.lastSeenAt),
      expiresAt: iso(session.expiresAt),
    }));
    for (const family of families) {
      views.push({
        type: 'refresh-family',
        id: family.id,
        current: mechanism === 'jwt' && sessionId === family.id,
        userAgent: family.userAgent ?? null,
        ip: family.ip ?? null,
        createdAt: iso(family.createdAt),
        lastSeenAt: iso(family.lastUsedAt),
        expiresAt: iso(family.expiresAt),
      });
    }
    return views.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  }

  /** Ends the subject's session or refresh family with this id; false when they have none by that id. */
  async revoke(subject: string, id: string): Promise<boolean> {
    if (await this.sessions.revoke(subject, id)) return true;
    return (await this.families?.revokeFamily(id, 'revoked_by_user', subject)) ?? false;
  }

  /** Ends everything but what the request came with; returns how many sessions and families ended. */
  async revokeOthers(principal: Principal): Promise<number> {
    const { mechanism, id, sessionId } = principal.credential;
    const keepSession = mechanism === 'session' ? id : undefined;
    const keepFamily = mechanism === 'jwt' ? sessionId : undefined;
    const sessions = await this.sessions.revokeOthers(principal.subject, keepSession);
    const families = this.families;
    if (!families) return sessions;
    const others = (await families.listActive(principal.subject)).filter((family) => family.id !== keepFamily);
    const revoked = await Promise.all(others.map((family) => families.revokeFamily(family.id, 'revoked_by_user', principal.subject)));
    return sessions + revoked.filter(Boolean).length;
  }

  /** After a password change: every session but `keepSessionId`, and every refresh family (with their access tokens). */
  async revokeEverywhereElse(subject: string, keepSessionId: string | undefined): Promise<void> {
    await this.sessions.revokeOthers(subject, keepSessionId);
    await this.families?.revokeAllForSubject(subject, 'password_changed');
  }
}
