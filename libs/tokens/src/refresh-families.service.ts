import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, GatehouseError, RevocationStore, SecurityEvents } from '@gatehouse/core';
import type { RefreshFamily } from './refresh-family.entity.js';
import { deriveSuccessor, generateFamilyId, generateRefreshToken, hashesEqual, hashRefreshToken, isRefreshTokenFormat } from './refresh-token.codec.js';
import { RefreshTokenStore, type RefreshFamilyRecord, type RefreshTokenRecord } from './refresh-token-store.interface.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { sessionRevocationKey, subjectRevocationKey, TOKENS_OPTIONS } from './tokens.constants.js';

/** Where a sign-in or refresh came from, kept on the family for the sessions list. */
export interface RefreshMeta {
  ip?: string;
  userAgent?: string;
}

/** A refresh token handed out by `start` or `rotate`, with the family it belongs to. */
export interface RefreshGrant {
  /** The family id: the `sid` of access tokens issued with this grant. */
  familyId: string;
  subject: string;
  scopes: string[];
  /** The opaque refresh token: give it to the client once; only its hash is stored. */
  refreshToken: string;
  /** When the refresh token stops working at the latest (idle or absolute end), epoch ms. */
  expiresAt: number;
  /** When the family started: the subject's authentication time, epoch ms. */
  authTime: number;
  /** True when a duplicate within the leeway was answered with the successor already issued. */
  replayed: boolean;
}

/** A live family as the sessions list shows it. */
export interface ActiveRefreshFamily {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  /** When it ends unless used again (idle end, capped by the absolute end), epoch ms. */
  expiresAt: number;
  ip?: string;
  userAgent?: string;
}

/** The requested scopes if the family holds them all, else `invalid_scope` (RFC 6749 §6). */
function narrowScopes(granted: string, requested: readonly string[]): string[] {
  const held = new Set(granted.split(' ').filter(Boolean));
  const wanted = [...new Set(requested)];
  if (wanted.some((scope) => typeof scope !== 'string' || !held.has(scope))) throw new GatehouseError('invalid_scope');
  return wanted;
}

/** Revoked families stay this long (for "why was I signed out") before the purge deletes them. */
const REVOKED_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Rotating refresh tokens grouped in families (RFC 9700 §4.14.2). Every refresh spends the
 * presented token and issues its successor, atomically; a spent token presented again outside the
 * leeway is reuse: the family is revoked, its access tokens stop working (`sid:<familyId>` in the
 * revocation store) and `refresh.reuse_detected` is emitted.
 */
@Injectable()
export class RefreshFamilies {
  private readonly logger = new Logger('RefreshFamilies');

  constructor(
    @Inject(TOKENS_OPTIONS) private readonly options: ResolvedTokensOptions,
    @Inject(RefreshTokenStore) private readonly store: RefreshTokenStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
    private readonly events: SecurityEvents,
  ) {}

  /** Starts a family at sign-in; beyond `maxFamiliesPerSubject` live ones, the least recently used are revoked. */
  async start(subject: string, scopes: readonly string[], meta: RefreshMeta = {}): Promise<RefreshGrant> {
    this.assertEnabled();
    if (typeof subject !== 'string' || subject === '' || subject.length > 255) throw new TypeError('subject must be 1–255 characters');
    const now = this.clock.now();
    const refreshToken = generateRefreshToken();
    const idleExpiresAt = Math.min(now + this.options.refreshIdleLifetimeMs, now + this.options.refreshAbsoluteLifetimeMs);
    const family: RefreshFamilyRecord = {
      id: generateFamilyId(),
      subject,
      scopes: [...new Set(scopes)].join(' '),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + this.options.refreshAbsoluteLifetimeMs,
      idleExpiresAt,
      revokedAt: null,
      revokedReason: null,
      purgeAfter: idleExpiresAt,
      ...this.metaColumns(meta),
    };
    const token: RefreshTokenRecord = { tokenHash: hashRefreshToken(refreshToken), familyId: family.id, createdAt: now, spentAt: null, successorHash: null };
    await this.store.createFamily(family, token);
    this.events.emit('refresh.family_started', { subject, familyId: family.id, ip: meta.ip });
    await this.enforceLimit(subject, family.id);
    return this.grant(family, refreshToken, false);
  }

  /**
   * Spends `token` and returns its successor. Throws `invalid_grant` (unknown, expired, revoked),
   * `refresh_token_reused` (a spent token outside the leeway: the family is now revoked) or
   * `refresh_in_progress` (a duplicate whose successor cannot be handed out again).
   * `requestedScopes` (RFC 6749 §6) narrows the returned scopes for this refresh only; asking for a
   * scope the family was not granted is `invalid_scope`, checked before anything is spent.
   */
  async rotate(token: unknown, meta: RefreshMeta = {}, requestedScopes?: readonly string[]): Promise<RefreshGrant> {
    this.assertEnabled();
    if (!isRefreshTokenFormat(token)) throw new GatehouseError('invalid_grant');
    const tokenHash = hashRefreshToken(token);
    const found = await this.store.findToken(tokenHash);
    if (!found) throw new GatehouseError('invalid_grant');
    const now = this.clock.now();
    let { token: record } = found;
    const { family } = found;
    if (family.revokedAt !== null || now >= family.expiresAt || now >= family.idleExpiresAt) throw new GatehouseError('invalid_grant');
    const narrowed = requestedScopes === undefined ? undefined : narrowScopes(family.scopes, requestedScopes);
    if (record.spentAt === null) {
      const successor = deriveSuccessor(this.options.refreshSecret, token);
      const idleExpiresAt = Math.min(now + this.options.refreshIdleLifetimeMs, family.expiresAt);
      const touch = { lastUsedAt: now, idleExpiresAt, purgeAfter: idleExpiresAt, ...this.metaColumns(meta, family) };
      const successorRecord = { tokenHash: hashRefreshToken(successor), familyId: family.id, createdAt: now, spentAt: null, successorHash: null };
      const outcome = await this.store.spend(tokenHash, successorRecord, family.id, touch);
      if (outcome === 'rotated') return this.grant({ ...family, ...touch }, successor, false, narrowed);
      if (outcome === 'family_revoked') throw new GatehouseError('invalid_grant');
      // Lost the race to a concurrent rotation of the same token: read what the winner wrote.
      const reread = await this.store.findToken(tokenHash);
      if (!reread || reread.token.spentAt === null) throw new GatehouseError('refresh_in_progress');
      record = reread.token;
    }
    return this.duplicate(token, record, family, now, meta, narrowed);
  }

  /** Revokes one family (with `subject`, only if it is theirs); its access tokens stop working. False when there was nothing to revoke. */
  async revokeFamily(familyId: string, reason: string, subject?: string): Promise<boolean> {
    this.assertEnabled();
    if (typeof familyId !== 'string' || familyId.length === 0 || familyId.length > 43) return false;
    const now = this.clock.now();
    const family = await this.store.revokeFamily(familyId, reason, now, now + REVOKED_RETENTION_MS, subject);
    if (!family) return false;
    await this.revocations.revoke(sessionRevocationKey(familyId), now, this.revocationTtlMs());
    this.events.emit('refresh.family_revoked', { subject: family.subject, familyId, reason });
    return true;
  }

  /**
   * Signs the subject out everywhere: revokes every family and refuses every access token issued
   * at or before now (`sub:<subject>`, whole-second `iat`). Returns how many families it revoked.
   */
  async revokeAllForSubject(subject: string, reason: string): Promise<number> {
    const now = this.clock.now();
    await this.revocations.revoke(subjectRevocationKey(subject), now, this.revocationTtlMs());
    const ids = this.options.refreshTokens ? await this.store.revokeSubject(subject, reason, now, now + REVOKED_RETENTION_MS) : [];
    this.events.emit('refresh.subject_revoked', { subject, reason, families: ids.length });
    return ids.length;
  }

  /** RFC 7009: revokes the family of a refresh token. False for anything that is not a known token. */
  async revokeToken(token: unknown, reason = 'revoked_by_client'): Promise<boolean> {
    this.assertEnabled();
    if (!isRefreshTokenFormat(token)) return false;
    const found = await this.store.findToken(hashRefreshToken(token));
    return found ? this.revokeFamily(found.family.id, reason) : false;
  }

  /** The subject's live families, least recently used first. */
  async listActive(subject: string): Promise<ActiveRefreshFamily[]> {
    this.assertEnabled();
    const families = await this.store.listLive(subject, this.clock.now());
    return families.map((family) => ({
      id: family.id,
      createdAt: family.createdAt,
      lastUsedAt: family.lastUsedAt,
      expiresAt: Math.min(family.idleExpiresAt, family.expiresAt),
      ...(family.ip ? { ip: family.ip } : {}),
      ...(family.userAgent ? { userAgent: family.userAgent } : {}),
    }));
  }

  /** Deletes expired and long-revoked families with their tokens, batch by batch; returns how many families. */
  async purgeExpired(): Promise<number> {
    if (!this.options.refreshTokens) return 0;
    const now = this.clock.now();
    let total = 0;
    for (;;) {
      const deleted = await this.store.purgeBatch(now, this.options.purgeBatchSize);
      total += deleted;
      if (deleted < this.options.purgeBatchSize) return total;
    }
  }

  /** How long a revocation must be remembered: until every access token it covers has expired. */
  revocationTtlMs(): number {
    // +1 s: the issuer may start a token one second late (see AccessTokenIssuer).
    return this.options.accessTokenLifetimeMs + this.options.clockToleranceMs + 1000;
  }

  private async duplicate(
    token: string,
    record: RefreshTokenRecord,
    family: RefreshFamily,
    now: number,
    meta: RefreshMeta,
    narrowed: string[] | undefined,
  ): Promise<RefreshGrant> {
    const spentAt = record.spentAt as number;
    if (now - spentAt > this.options.refreshReuseLeewayMs) {
      await this.revokeFamily(family.id, 'reuse_detected');
      this.events.emit('refresh.reuse_detected', { subject: family.subject, familyId: family.id, ip: meta.ip, spentAt });
      throw new GatehouseError('refresh_token_reused');
    }
    // Within the leeway (a client retrying a refresh whose answer it lost, or parallel tabs):
    // hand out the same successor again, never a second one.
    const successor = deriveSuccessor(this.options.refreshSecret, token);
    const successorHash = hashRefreshToken(successor);
    if (record.successorHash === null || !hashesEqual(successorHash, record.successorHash)) {
      // Rotated by an instance with another refresh secret: the only safe answer is "not now".
      throw new GatehouseError('refresh_in_progress');
    }
    const next = await this.store.findToken(successorHash);
    if (!next || next.token.spentAt !== null || next.family.revokedAt !== null) throw new GatehouseError('refresh_in_progress');
    this.logger.debug(`Duplicate refresh within the leeway for family ${family.id}`);
    // The winner wrote its address and agent on the family: a duplicate from elsewhere may be a stolen token racing its owner.
    const { ip, userAgent } = this.metaColumns(meta);
    if ((ip !== null && ip !== next.family.ip) || (userAgent !== null && userAgent !== next.family.userAgent)) {
      this.events.emit('refresh_token_replayed', {
        subject: family.subject,
        familyId: family.id,
        ip: ip ?? undefined,
        firstIp: next.family.ip ?? undefined,
        sameUserAgent: userAgent === next.family.userAgent,
        spentAt,
      });
    }
    return this.grant(next.family, successor, true, narrowed);
  }

  private async enforceLimit(subject: string, keepId: string): Promise<void> {
    const live = await this.store.listLive(subject, this.clock.now());
    const excess = live.length - this.options.maxFamiliesPerSubject;
    if (excess <= 0) return;
    for (const family of live.filter((candidate) => candidate.id !== keepId).slice(0, excess)) {
      await this.revokeFamily(family.id, 'family_limit');
    }
  }

  private grant(family: RefreshFamily, refreshToken: string, replayed: boolean, scopes?: string[]): RefreshGrant {
    return {
      familyId: family.id,
      subject: family.subject,
      scopes: scopes ?? family.scopes.split(' ').filter(Boolean),
      refreshToken,
      expiresAt: Math.min(family.idleExpiresAt, family.expiresAt),
      authTime: family.createdAt,
      replayed,
    };
  }

  private metaColumns(meta: RefreshMeta, previous?: RefreshFamily): { ip: string | null; userAgent: string | null } {
    const ip = typeof meta.ip === 'string' && meta.ip !== '' ? meta.ip.slice(0, 64) : (previous?.ip ?? null);
    const agent = typeof meta.userAgent === 'string' && meta.userAgent !== '' ? meta.userAgent.slice(0, this.options.userAgentMaxLength) : (previous?.userAgent ?? null);
    return { ip, userAgent: agent };
  }

  private assertEnabled(): void {
    if (!this.options.refreshTokens) throw new TypeError('Refresh tokens are disabled (refreshTokens: false, or resource-server mode)');
  }
}
