import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, GatehouseCache, GatehouseError, KnownSecretHashes, sessionRevocationKey } from '@gatehouse/core';
import type { SessionRecord } from './session.entity.js';
import type { ActiveSession } from './session.interfaces.js';
import { SessionRevocations } from './session-revocations.js';
import { hashSessionSecret, isSessionSecret } from './session-secret.js';
import { SessionStore } from './session-store.interface.js';
import { SESSION_CACHE_PREFIX, SESSION_MECHANISM, SESSIONS_OPTIONS } from './sessions.constants.js';
import type { ResolvedSessionsOptions } from './sessions-options.interface.js';
import { UnknownSessions } from './unknown-sessions.js';

/** The scopes column as a list. */
export function splitScopes(scopes: string): string[] {
  return scopes.split(' ').filter(Boolean);
}

/** Session secrets whose hash this instance remembers (about 200 bytes each). */
const KNOWN_SECRET_HASHES = 10_000;

/**
 * Turns a cookie secret into the live session it names: the hot path. A cache hit costs two map
 * lookups (a secret accepted before is not hashed again) or, the first time, one SHA-256; the
 * database is read on a miss and written at most once per `touchIntervalMs` per session (the
 * sliding idle expiry), never on every request.
 */
@Injectable()
export class SessionVerifier {
  private readonly logger = new Logger('GatehouseSessions');
  private readonly unknown: UnknownSessions;
  private readonly knownHashes = new KnownSecretHashes(KNOWN_SECRET_HASHES, SESSION_CACHE_PREFIX);

  constructor(
    @Inject(SessionStore) private readonly store: SessionStore,
    @Inject(GatehouseCache) private readonly cache: GatehouseCache,
    private readonly revocations: SessionRevocations,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(SESSIONS_OPTIONS) private readonly options: ResolvedSessionsOptions,
  ) {
    this.unknown = new UnknownSessions(options.unknownSessionCacheMs);
  }

  /** The session, or a rejected 401 `invalid_session` / `session_expired`. */
  async verify(secret: string): Promise<ActiveSession> {
    const checked = this.check(secret);
    if (checked instanceof GatehouseError) throw checked;
    return checked;
  }

  /**
   * `verify` for the hot path: synchronous on a fresh cache hit that needs no write (the common
   * case), so the guard creates no promise for it. A secret refused without a lookup is returned
   * as its 401, not thrown (garbage costs no exception); otherwise it may throw as well as reject.
   */
  check(secret: string): ActiveSession | Promise<ActiveSession> | GatehouseError {
    const known = this.knownHashes.lookup(secret);
    let hash: string;
    // A remembered secret's cache key is one string built once: the lookup hashes nothing new.
    let key: string;
    if (known !== undefined) ({ hash, cacheKey: key } = known);
    else {
      // Garbage never reaches the database.
      if (!isSessionSecret(secret)) return new GatehouseError('invalid_session', { mechanism: SESSION_MECHANISM }, { malformed: true });
      hash = hashSessionSecret(secret);
      key = SESSION_CACHE_PREFIX + hash;
    }
    const now = this.clock.now();
    const entry = this.cache.get<CachedSession>(key);
    // The cache's own TTL runs on its timer; checking the load time too keeps it on the injected clock.
    // Another instance may have slid the idle expiry: a cached copy that looks expired is re-read first.
    if (entry && now - entry.loadedAt < this.options.cacheTtlMs && !isExpired(entry.session, now)) {
      const accepted = this.accept(entry.session, now, entry.revocationKey);
      if (known === undefined) this.knownHashes.remember(secret, hash);
      return accepted;
    }
    // A new session's id is 256 server-chosen random bits: no remembered miss can be its hash.
    if (entry === undefined && this.unknown.has(hash, now)) return invalidSession();
    const loaded = this.load(hash, key, now, entry !== undefined);
    if (known === undefined) {
      const computed = hash;
      loaded.then(
        () => this.knownHashes.remember(secret, computed),
        () => undefined,
      );
    }
    return loaded;
  }

  /** The cache missed or was stale: read the store, then accept. */
  private async load(hash: string, key: string, now: number, wasCached: boolean): Promise<ActiveSession> {
    const record = await this.store.findByHash(hash);
    if (!record) {
      // Only a stale entry is worth dropping: unknown secrets must not cause cache traffic.
      if (wasCached) await this.cache.invalidate(key);
      this.unknown.remember(hash, now);
      throw invalidSession();
    }
    const entry: CachedSession = { session: toActiveSession(record), loadedAt: now, revocationKey: sessionRevocationKey(record.id) };
    if (isExpired(entry.session, now)) {
      await this.expire(entry.session, key);
      throw new GatehouseError('session_expired', { mechanism: SESSION_MECHANISM });
    }
    this.cache.set(key, entry, Math.min(this.options.cacheTtlMs, entry.session.idleExpiresAt - now));
    return this.accept(entry.session, now, entry.revocationKey);
  }

  /** Refuses a revoked session; slides the idle expiry when the last write is old enough. */
  private accept(session: ActiveSession, now: number, revocationKey: string | undefined): ActiveSession | Promise<ActiveSession> {
    if (this.revocations.isRevoked(session.id, revocationKey)) throw invalidSession();
    if (now - session.lastSeenAt >= this.options.touchIntervalMs) return this.touch(session, now).then(() => session);
    return session;
  }

  /** Slides the idle expiry. The cached copy is updated first, so concurrent requests do not all write. */
  private async touch(session: ActiveSession, now: number): Promise<void> {
    session.lastSeenAt = now;
    session.idleExpiresAt = Math.min(now + this.options.idleTimeoutMs, session.absoluteExpiresAt);
    try {
      await this.store.touch(session.id, now, session.idleExpiresAt);
    } catch (error) {
      // The session is valid; a failed bookkeeping write must not fail the request.
      this.logger.warn(`Could not record session activity: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async expire(session: ActiveSession, key: string): Promise<void> {
    await this.cache.invalidate(key);
    try {
      await this.store.delete({ id: session.id });
    } catch (error) {
      this.logger.warn(`Could not delete an expired session: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A cache entry: the session and when this instance read it from the store. */
interface CachedSession {
  session: ActiveSession;
  loadedAt: number;
  /** `sid:<id>`, built once (absent from entries a shared cache kept from before). */
  revocationKey?: string;
}

function isExpired(session: ActiveSession, now: number): boolean {
  return now >= session.idleExpiresAt || now >= session.absoluteExpiresAt;
}

function invalidSession(): GatehouseError {
  return new GatehouseError('invalid_session', { mechanism: SESSION_MECHANISM });
}

function toActiveSession(record: SessionRecord): ActiveSession {
  return {
    id: record.id,
    subject: record.subject,
    scopes: splitScopes(record.scopes),
    authTime: record.authTime,
    lastSeenAt: record.lastSeenAt,
    idleExpiresAt: record.idleExpiresAt,
    absoluteExpiresAt: record.absoluteExpiresAt,
  };
}
