import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, GatehouseError, RevocationStore, SecurityEvents, sessionRevocationKey, type Principal } from '@gatehouse/core';
import { API_KEY_REVOCATION_PREFIX, API_KEYS_OPTIONS, SERVICE_TOKEN_REVOCATION_TTL_MS, apiKeyTokenSessionId } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { apiKeyHint, generateApiKey } from './api-key.format.js';
import { assertScopeSubset, checkExpiresInDays, checkKeyName, checkScopes } from './api-key-input.js';
import { ApiKeyStore, type ApiKeyRecord } from './api-key-store.interface.js';
import { ApiKeyVerifier, hashApiKey } from './api-key.verifier.js';
import { toApiKeyView, type ApiKeyView } from './api-key.view.js';

const DAY_MS = 86_400_000;

/** What a new key is made of. */
export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  /** Whole days until it expires. Default: the module's `defaultExpiresInDays`. */
  expiresInDays?: number;
}

/** Per-call options of `rotate`. */
export interface RotateApiKeyOptions {
  /** How long the old key keeps working, in ms. Default: the module's `rotationGraceMs` (24 h). */
  graceMs?: number;
  /** Lifetime of the new key in days. Default: the old key's lifetime, or the module default. */
  expiresInDays?: number;
}

/** A freshly issued key: the only time its plaintext exists outside the client. */
export interface IssuedApiKey {
  /** The key itself. Show it once; it cannot be recovered. */
  key: string;
  apiKey: ApiKeyView;
}

/**
 * Creates, lists, rotates and revokes API keys on behalf of their owner (the acting principal's
 * subject). Only principals of `managerKinds` (default: users) may manage keys, so a leaked key
 * cannot mint itself successors; a key's scopes are a subset of its creator's.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(API_KEYS_OPTIONS) protected readonly options: ResolvedApiKeysOptions,
    @Inject(ApiKeyStore) protected readonly store: ApiKeyStore,
    @Inject(RevocationStore) protected readonly revocations: RevocationStore,
    @Inject(Clock) protected readonly clock: Clock,
    protected readonly verifier: ApiKeyVerifier,
    protected readonly events: SecurityEvents,
  ) {}

  /** Issues a key owned by `creator.subject`. The plaintext is in the result and nowhere else. */
  async create(creator: Principal, input: CreateApiKeyInput): Promise<IssuedApiKey> {
    this.assertManager(creator);
    const name = checkKeyName(input.name);
    const scopes = checkScopes(input.scopes, this.options.maxScopesPerKey);
    assertScopeSubset(scopes, creator.scopes);
    const now = this.clock.now();
    const days = input.expiresInDays === undefined ? this.options.defaultExpiresInDays : checkExpiresInDays(input.expiresInDays, this.options.maxExpiresInDays);
    if (await this.store.countActive(creator.subject, now) >= this.options.maxKeysPerOwner) {
      throw new GatehouseError('conflict', { message: `An owner may hold at most ${this.options.maxKeysPerOwner} active API keys.` });
    }
    const { key, record } = this.newKey(creator.subject, name, scopes, now, days === null ? null : now + days * DAY_MS, null);
    await this.store.insert(record);
    // A refusal of this exact key cached before it existed must not outlive its creation.
    await this.verifier.invalidate(record.hash);
    this.events.emit('api_key.created', { subject: creator.subject, keyId: record.id, scopes: scopes.join(' ') });
    return { key, apiKey: toApiKeyView(record, now) };
  }

  /** Every key of the actor, newest first, with no secret in it. */
  async list(actor: Principal): Promise<ApiKeyView[]> {
    this.assertManager(actor);
    const now = this.clock.now();
    return (await this.store.listByOwner(actor.subject)).map((record) => toApiKeyView(record, now));
  }

  /** One key of the actor; 404 `not_found` for another owner's key. */
  async get(actor: Principal, id: string): Promise<ApiKeyView> {
    this.assertManager(actor);
    return toApiKeyView(await this.owned(actor, id), this.clock.now());
  }

  /**
   * Issues a successor with the same name and scopes; the old key keeps working for the grace
   * period, then expires. A key is rotated once: rotate its successor next time.
   */
  async rotate(actor: Principal, id: string, options: RotateApiKeyOptions = {}): Promise<IssuedApiKey & { previous: ApiKeyView }> {
    this.assertManager(actor);
    const old = await this.owned(actor, id);
    const scopes = old.scopes.split(' ').filter(Boolean);
    assertScopeSubset(scopes, actor.scopes);
    const graceMs = options.graceMs ?? this.options.rotationGraceMs;
    if (!Number.isFinite(graceMs) || graceMs < 0) throw new TypeError('rotate: graceMs must be a non-negative number of milliseconds');
    const now = this.clock.now();
    const expiresAt = this.successorExpiry(old, now, options.expiresInDays);
    const { key, record } = this.newKey(old.ownerId, old.name, scopes, now, expiresAt, old.id);
    const previous = await this.store.rotate(old.id, old.ownerId, record, now + graceMs, now);
    if (!previous) throw new GatehouseError('conflict', { message: 'Only an active key that was never rotated can be rotated.' });
    await Promise.all([this.verifier.invalidate(old.hash), this.verifier.invalidate(record.hash)]);
    this.events.emit('api_key.rotated', { subject: old.ownerId, keyId: record.id, previousKeyId: old.id, graceMs });
    return { key, apiKey: toApiKeyView(record, now), previous: toApiKeyView(previous, now) };
  }

  /**
   * Revokes the key at once, on every instance, together with any predecessor still inside its
   * rotation grace: revoking "the key" after a leak must not leave its old secret working.
   * Revoking a revoked key changes nothing.
   */
  async revoke(actor: Principal, id: string): Promise<ApiKeyView> {
    this.assertManager(actor);
    let record: ApiKeyRecord | null = await this.owned(actor, id);
    const now = this.clock.now();
    const target = (await this.revokeOne(record, now)) ?? record;
    for (let hops = 0; record?.rotatedFromId && hops < 100; hops++) {
      record = await this.store.findById(record.rotatedFromId);
      if (!record || record.ownerId !== actor.subject || (record.expiresAt !== null && record.expiresAt <= now)) break;
      await this.revokeOne(record, now);
    }
    return toApiKeyView(target, now);
  }

  private async revokeOne(record: ApiKeyRecord, now: number): Promise<ApiKeyRecord | null> {
    const revoked = await this.store.revoke(record.id, record.ownerId, now);
    if (!revoked) return null;
    // The list entry outlives any cached copy of the key on any instance.
    await this.revocations.revoke(API_KEY_REVOCATION_PREFIX + record.id, now, this.options.cacheTtlMs + 60_000);
    // Service tokens minted from the key (client credentials) carry `sid` = the key: end them too.
    await this.revocations.revoke(sessionRevocationKey(apiKeyTokenSessionId(record.id)), now, SERVICE_TOKEN_REVOCATION_TTL_MS);
    await this.verifier.invalidate(record.hash);
    this.events.emit('api_key.revoked', { subject: record.ownerId, keyId: record.id });
    return revoked;
  }

  private successorExpiry(old: ApiKeyRecord, now: number, expiresInDays: number | undefined): number | null {
    if (expiresInDays !== undefined) return now + checkExpiresInDays(expiresInDays, this.options.maxExpiresInDays) * DAY_MS;
    if (old.expiresAt === null) return this.options.defaultExpiresInDays === null ? null : now + this.options.defaultExpiresInDays * DAY_MS;
    // Keep the lifetime the owner chose for the original, within today's cap.
    const lifetime = old.expiresAt - old.createdAt;
    const cap = this.options.maxExpiresInDays === null ? Infinity : this.options.maxExpiresInDays * DAY_MS;
    return now + Math.min(lifetime, cap);
  }

  private newKey(ownerId: string, name: string, scopes: string[], now: number, expiresAt: number | null, rotatedFromId: string | null) {
    const key = generateApiKey(this.options.prefix);
    const record: ApiKeyRecord = {
      id: randomUUID(),
      hash: hashApiKey(key),
      hint: apiKeyHint(key),
      ownerId,
      name,
      scopes: scopes.join(' '),
      createdAt: now,
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      lastUsedNetwork: null,
      usageCount: 0,
      rotatedFromId,
      replacedById: null,
    };
    return { key, record };
  }

  private async owned(actor: Principal, id: string): Promise<ApiKeyRecord> {
    const record = typeof id === 'string' && id.length <= 36 ? await this.store.findById(id) : null;
    // Another owner's key is "not found", so ids cannot be probed.
    if (!record || record.ownerId !== actor.subject) throw new GatehouseError('not_found');
    return record;
  }

  private assertManager(actor: Principal): void {
    if (!this.options.managerKinds.includes(actor.kind)) {
      throw new GatehouseError('forbidden', { message: 'API keys are managed by their owner, not by a key or service token.' });
    }
  }
}
