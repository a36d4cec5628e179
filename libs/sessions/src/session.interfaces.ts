/** A session as the hot path sees it (cached per instance; never holds the cookie secret). */
export interface ActiveSession {
  /** The non-secret session id. */
  id: string;
  subject: string;
  scopes: readonly string[];
  authTime: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/** What a new session is created with, besides its subject and scopes. */
export interface SessionMeta {
  /** The client's IP address, shown in the session list. */
  ip?: string;
  /** The client's `User-Agent`, shown in the session list (truncated). */
  userAgent?: string;
  /** When the subject proved who they are (epoch ms). Default: now. */
  authTime?: number;
}

/**
 * A session just created by `login` or `rotate`: set `secret` as the cookie (`SessionCookie.write`)
 * and hand `csrfToken` to the client. `secret` must never be logged or stored.
 */
export interface IssuedSession {
  id: string;
  secret: string;
  csrfToken: string;
  subject: string;
  scopes: readonly string[];
  authTime: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/** A session as its owner may see it: no secret, no hash. */
export interface SessionView {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  /** When the session ends unless used again (the idle expiry, capped by the absolute one). */
  expiresAt: number;
  absoluteExpiresAt: number;
  authTime: number;
  ip: string | null;
  userAgent: string | null;
}

/** Why a session ended, as reported in `session.ended` security events. */
export type SessionEndReason = 'logout' | 'revoked' | 'revoked_others' | 'revoked_all' | 'rotated' | 'evicted' | 'expired' | 'replaced_at_login';
