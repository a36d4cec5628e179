import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Principal } from '@gatehouse/core';
import type { RefreshFamilies } from '@gatehouse/tokens';
import { SessionService } from './session.service.js';

/** One signed-in device as the device list shows it: a cookie session or a refresh family. */
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
 * Everything a user is signed in with — browser sessions and, when `@gatehouse/tokens` is part of
 * the app, refresh-token families — listed and revoked together, so "sign out that device" works
 * whatever kind of client it was.
 */
@Injectable()
export class SignedInDevices implements OnModuleInit {
  private families: RefreshFamilies | undefined;

  constructor(
    private readonly sessions: SessionService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    // `@gatehouse/tokens` is an optional peer: without it (or without its module) there are only sessions.
    try {
      const tokens = await import('@gatehouse/tokens');
      this.families = this.moduleRef.get(tokens.RefreshFamilies, { strict: false });
    } catch {
      this.families = undefined;
    }
  }

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
