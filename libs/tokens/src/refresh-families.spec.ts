import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatehouseError, ManualClock, MemoryRevocationStore, SecurityEvents } from '@gatehouse/core';
import { RefreshFamilies } from './refresh-families.service.js';
import { RefreshFamily } from './refresh-family.entity.js';
import { hashRefreshToken } from './refresh-token.codec.js';
import { RefreshToken } from './refresh-token.entity.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';
import type { TokensModuleOptions } from './tokens-options.interface.js';
import { tokensEntities } from './tokens.entities.js';
import { TypeOrmRefreshTokenStore } from './typeorm-refresh-token.store.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

async function setup(overrides: Partial<TokensModuleOptions> = {}, shared?: { dataSource: DataSource; clock: ManualClock; revocations: MemoryRevocationStore }) {
  const dataSource =
    shared?.dataSource ?? (await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: tokensEntities, synchronize: true }).initialize());
  const clock = shared?.clock ?? new ManualClock(T0);
  const revocations = shared?.revocations ?? new MemoryRevocationStore();
  const events = new SecurityEvents(clock);
  const emitted: Array<{ type: string; fields: Record<string, unknown> }> = [];
  jest.spyOn(events, 'emit').mockImplementation((type, fields = {}) => {
    emitted.push({ type, fields });
    return { type, at: clock.now(), ...fields };
  });
  const options = resolveTokensOptions({ issuer: 'https://auth.test', audience: 'api', refreshSecret: 'x'.repeat(32), ...overrides });
  const store = new TypeOrmRefreshTokenStore(() => dataSource);
  const families = new RefreshFamilies(options, store, clock, revocations, events);
  return { dataSource, clock, revocations, emitted, store, families, options };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatehouseError) return error.code;
    throw error;
  }
  return 'ok';
}

Logger.overrideLogger(false);

describe('RefreshFamilies', () => {
  let kit: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    kit = await setup();
  });
  afterEach(async () => {
    await kit.dataSource.destroy();
  });

  it('starts a family with a 256-bit opaque token and stores only its SHA-256 hash', async () => {
    const grant = await kit.families.start('user-1', ['orders:read', 'orders:read', 'orders:write'], { ip: '203.0.113.9', userAgent: 'test-agent' });
    expect(grant.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(grant.refreshToken, 'base64url')).toHaveLength(32);
    expect(grant).toMatchObject({ subject: 'user-1', scopes: ['orders:read', 'orders:write'], authTime: T0, expiresAt: T0 + 14 * DAY, replayed: false });
    const rows = await kit.dataSource.getRepository(RefreshToken).find();
    expect(rows).toEqual([expect.objectContaining({ tokenHash: hashRefreshToken(grant.refreshToken), familyId: grant.familyId, spentAt: null })]);
    const dump = JSON.stringify([rows, await kit.dataSource.getRepository(RefreshFamily).find()]);
    expect(dump).not.toContain(grant.refreshToken);
  });

  it('rotates: the presented token is spent, a different successor is issued, the family is touched', async () => {
    const first = await kit.families.start('user-1', ['a'], {});
    kit.clock.advance(60 * SECOND);
    const second = await kit.families.rotate(first.refreshToken, { ip: '198.51.100.7' });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second).toMatchObject({ familyId: first.familyId, subject: 'user-1', scopes: ['a'], authTime: T0, replayed: false });
    const family = await kit.dataSource.getRepository(RefreshFamily).findOneByOrFail({ id: first.familyId });
    expect(family).toMatchObject({ lastUsedAt: T0 + 60 * SECOND, idleExpiresAt: T0 + 60 * SECOND + 14 * DAY, ip: '198.51.100.7' });
    const spent = await kit.dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: hashRefreshToken(first.refreshToken) });
    expect(spent).toMatchObject({ spentAt: T0 + 60 * SECOND, successorHash: hashRefreshToken(second.refreshToken) });
  });

  it('answers a duplicate within the leeway with the same successor, never a second one', async () => {
    const first = await kit.families.start('user-1', ['a'], {});
    const second = await kit.families.rotate(first.refreshToken, {});
    kit.clock.advance(2 * SECOND);
    const again = await kit.families.rotate(first.refreshToken, {});
    expect(again).toMatchObject({ refreshToken: second.refreshToken, familyId: first.familyId, replayed: true });
    expect(await kit.dataSource.getRepository(RefreshToken).count()).toBe(2);
    await expect(kit.families.rotate(second.refreshToken, {})).resolves.toMatchObject({ replayed: false });
  });

  it('emits refresh_token_replayed for a duplicate within the leeway from another IP or user agent, not for the same client retrying', async () => {
    const phone = { ip: '203.0.113.9', userAgent: 'phone/1' };
    const first = await kit.families.start('user-1', ['a'], phone);
    await kit.families.rotate(first.refreshToken, phone);
    await kit.families.rotate(first.refreshToken, phone);
    expect(kit.emitted.filter((event) => event.type === 'refresh_token_replayed')).toHaveLength(0);
    await kit.families.rotate(first.refreshToken, { ip: '198.51.100.7', userAgent: 'phone/1' });
    await kit.families.rotate(first.refreshToken, { ip: '203.0.113.9', userAgent: 'curl/8' });
    const replays = kit.emitted.filter((event) => event.type === 'refresh_token_replayed');
    expect(replays.map((event) => event.fields)).toEqual([
      expect.objectContaining({ subject: 'user-1', familyId: first.familyId, ip: '198.51.100.7', firstIp: '203.0.113.9', sameUserAgent: true }),
      expect.objectContaining({ subject: 'user-1', familyId: first.familyId, ip: '203.0.113.9', sameUserAgent: false }),
    ]);
  });

  it('treats a spent token outside the leeway as reuse: family revoked with reason, sid revoked, event emitted', async () => {
    const first = await kit.families.start('user-1', ['a'], {});
    const second = await kit.families.rotate(first.refreshToken, {});
    kit.clock.advance(2 * SECOND + 1);
    expect(await codeOf(kit.families.rotate(first.refreshToken, { ip: '192.0.2.66' }))).toBe('refresh_token_reused');
    expect(await kit.dataSource.getRepository(RefreshFamily).findOneByOrFail({ id: first.familyId })).toMatchObject({
      revokedAt: T0 + 2 * SECOND + 1,
      revokedReason: 'reuse_detected',
    });
    expect(kit.revocations.revokedAt(`sid:${first.familyId}`)).toBe(T0 + 2 * SECOND + 1);
    expect(kit.emitted).toContainEqual({ type: 'refresh.reuse_detected', fields: expect.objectContaining({ subject: 'user-1', familyId: first.familyId, ip: '192.0.2.66' }) });
    expect(JSON.stringify(kit.emitted)).not.toContain(first.refreshToken);
    // The legitimate holder's successor dies with the family.
    expect(await codeOf(kit.families.rotate(second.refreshToken, {}))).toBe('invalid_grant');
    // The revocation outlives every access token of the family, and no longer.
    kit.clock.advance(kit.families.revocationTtlMs() - 1);
    expect(kit.revocations.revokedAt(`sid:${first.familyId}`)).toBeDefined();
  });

  it('gives a non-destructive refresh_in_progress when the successor has itself moved on within the leeway', async () => {
    const first = await kit.families.start('user-1', ['a'], {});
    const second = await kit.families.rotate(first.refreshToken, {});
    await kit.families.rotate(second.refreshToken, {});
    expect(await codeOf(kit.families.rotate(first.refreshToken, {}))).toBe('refresh_in_progress');
    expect((await kit.families.listActive('user-1')).map((family) => family.id)).toEqual([first.familyId]);
  });

  it('with a zero leeway, an immediate duplicate is reuse', async () => {
    const strict = await setup({ refreshReuseLeewayMs: 0 });
    const first = await strict.families.start('user-1', ['a'], {});
    await strict.families.rotate(first.refreshToken, {});
    strict.clock.advance(1);
    expect(await codeOf(strict.families.rotate(first.refreshToken, {}))).toBe('refresh_token_reused');
    await strict.dataSource.destroy();
  });

  it('gives 20 concurrent refreshes of one token exactly one successor and keeps the family alive', async () => {
    const first = await kit.families.start('user-1', ['a'], {});
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => kit.families.rotate(first.refreshToken, {})));
    const tokens = new Set(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.refreshToken] : [])));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as GatehouseError).code] : []));
    expect(tokens.size).toBe(1);
    expect(failures.every((code) => code === 'refresh_in_progress')).toBe(true);
    expect(results.filter((result) => result.status === 'fulfilled' && !result.value.replayed)).toHaveLength(1);
    expect(await kit.dataSource.getRepository(RefreshToken).count()).toBe(2);
    expect(await kit.families.listActive('user-1')).toHaveLength(1);
    await expect(kit.families.rotate([...tokens][0], {})).resolves.toMatchObject({ familyId: first.familyId });
  });

  it('never hands out a second successor when the duplicate reaches an instance with another secret', async () => {
    const other = await setup({ refreshSecret: 'y'.repeat(32) }, kit);
    const first = await kit.families.start('user-1', ['a'], {});
    await kit.families.rotate(first.refreshToken, {});
    expect(await codeOf(other.families.rotate(first.refreshToken, {}))).toBe('refresh_in_progress');
    expect(await kit.dataSource.getRepository(RefreshToken).count()).toBe(2);
    expect(await kit.families.listActive('user-1')).toHaveLength(1);
  });

  it('ends a family at its absolute lifetime however often it is rotated', async () => {
    const started = await kit.families.start('user-1', ['a'], {});
    let refreshToken = started.refreshToken;
    for (let day = 13; day < 30; day += 13) {
      kit.clock.set(T0 + day * DAY);
      const next = await kit.families.rotate(refreshToken, {});
      expect(next.expiresAt).toBeLessThanOrEqual(T0 + 30 * DAY);
      refreshToken = next.refreshToken;
    }
    kit.clock.set(T0 + 30 * DAY - 1);
    const last = await kit.families.rotate(refreshToken, {});
    expect(last.expiresAt).toBe(T0 + 30 * DAY);
    kit.clock.set(T0 + 30 * DAY);
    expect(await codeOf(kit.families.rotate(last.refreshToken, {}))).toBe('invalid_grant');
    expect(await kit.families.listActive('user-1')).toEqual([]);
    expect(started.familyId).toBe(last.familyId);
  });

  it('ends a family left idle for the idle lifetime', async () => {
    const first = await kit.families.start('user-1', ['a'], {});
    kit.clock.set(T0 + 14 * DAY - 1);
    const second = await kit.families.rotate(first.refreshToken, {});
    kit.clock.advance(14 * DAY);
    expect(await codeOf(kit.families.rotate(second.refreshToken, {}))).toBe('invalid_grant');
  });

  it('caps live families per subject by revoking the least recently used', async () => {
    const capped = await setup({ maxFamiliesPerSubject: 2 });
    const a = await capped.families.start('user-1', ['a'], {});
    capped.clock.advance(SECOND);
    const b = await capped.families.start('user-1', ['a'], {});
    capped.clock.advance(SECOND);
    await capped.families.rotate(a.refreshToken, {}); // a is now more recently used than b
    capped.clock.advance(SECOND);
    const c = await capped.families.start('user-1', ['a'], {});
    expect((await capped.families.listActive('user-1')).map((family) => family.id).sort()).toEqual([a.familyId, c.familyId].sort());
    expect(await capped.dataSource.getRepository(RefreshFamily).findOneByOrFail({ id: b.familyId })).toMatchObject({ revokedReason: 'family_limit' });
    expect(capped.revocations.revokedAt(`sid:${b.familyId}`)).toBeDefined();
    await capped.dataSource.destroy();
  });

  it('revokes one family only for its own subject, and reports whether it did', async () => {
    const grant = await kit.families.start('user-1', ['a'], {});
    expect(await kit.families.revokeFamily(grant.familyId, 'logout', 'user-2')).toBe(false);
    expect(await kit.families.revokeFamily(grant.familyId, 'logout', 'user-1')).toBe(true);
    expect(await kit.families.revokeFamily(grant.familyId, 'logout', 'user-1')).toBe(false);
    expect(await codeOf(kit.families.rotate(grant.refreshToken, {}))).toBe('invalid_grant');
    expect(kit.emitted).toContainEqual({ type: 'refresh.family_revoked', fields: { subject: 'user-1', familyId: grant.familyId, reason: 'logout' } });
  });

  it('signs a subject out everywhere: every family revoked, sub: recorded', async () => {
    const one = await kit.families.start('user-1', ['a'], {});
    const two = await kit.families.start('user-1', ['a'], {});
    const other = await kit.families.start('user-2', ['a'], {});
    kit.clock.advance(5 * SECOND);
    expect(await kit.families.revokeAllForSubject('user-1', 'password_changed')).toBe(2);
    expect(kit.revocations.revokedAt('sub:user-1')).toBe(T0 + 5 * SECOND);
    expect(await codeOf(kit.families.rotate(one.refreshToken, {}))).toBe('invalid_grant');
    expect(await codeOf(kit.families.rotate(two.refreshToken, {}))).toBe('invalid_grant');
    await expect(kit.families.rotate(other.refreshToken, {})).resolves.toMatchObject({ subject: 'user-2' });
  });

  it('revokes by refresh token (RFC 7009), and ignores anything else', async () => {
    const grant = await kit.families.start('user-1', ['a'], {});
    expect(await kit.families.revokeToken('not-a-token')).toBe(false);
    expect(await kit.families.revokeToken('A'.repeat(43))).toBe(false);
    expect(await kit.families.revokeToken(grant.refreshToken)).toBe(true);
    expect(await kit.families.listActive('user-1')).toEqual([]);
  });

  it('lists live families with device details, least recently used first', async () => {
    const a = await kit.families.start('user-1', ['a'], { ip: '203.0.113.1', userAgent: 'A'.repeat(600) });
    kit.clock.advance(SECOND);
    const b = await kit.families.start('user-1', ['a'], {});
    const list = await kit.families.listActive('user-1');
    expect(list).toEqual([
      { id: a.familyId, createdAt: T0, lastUsedAt: T0, expiresAt: T0 + 14 * DAY, ip: '203.0.113.1', userAgent: 'A'.repeat(512) },
      { id: b.familyId, createdAt: T0 + SECOND, lastUsedAt: T0 + SECOND, expiresAt: T0 + SECOND + 14 * DAY },
    ]);
  });

  it('narrows scopes for one refresh (RFC 6749 §6) and refuses widening before spending anything', async () => {
    const first = await kit.families.start('user-1', ['a', 'b'], {});
    expect(await codeOf(kit.families.rotate(first.refreshToken, {}, ['a', 'admin']))).toBe('invalid_scope');
    const narrowed = await kit.families.rotate(first.refreshToken, {}, ['b']);
    expect(narrowed).toMatchObject({ scopes: ['b'], replayed: false });
    await expect(kit.families.rotate(narrowed.refreshToken, {})).resolves.toMatchObject({ scopes: ['a', 'b'] });
  });

  it('refuses malformed tokens without touching the database', async () => {
    const find = jest.spyOn(kit.store, 'findToken');
    for (const garbage of [undefined, null, 42, '', 'short', 'A'.repeat(44), `${'A'.repeat(42)}=`, { token: 'x' }]) {
      expect(await codeOf(kit.families.rotate(garbage, {}))).toBe('invalid_grant');
    }
    expect(find).not.toHaveBeenCalled();
  });

  it('purges expired and long-revoked families with their tokens, in batches', async () => {
    const small = await setup({ purgeBatchSize: 2 });
    const doomed = [];
    for (let index = 0; index < 5; index++) {
      const grant = await small.families.start(`user-${index}`, ['a'], {});
      await small.families.rotate(grant.refreshToken, {});
      doomed.push(grant);
    }
    small.clock.advance(10 * DAY);
    const survivor = await small.families.start('user-9', ['a'], {});
    const revoked = await small.families.start('user-8', ['a'], {});
    await small.families.revokeFamily(revoked.familyId, 'logout');
    small.clock.advance(5 * DAY);
    expect(await small.families.purgeExpired()).toBe(6);
    expect((await small.dataSource.getRepository(RefreshFamily).find()).map((family) => family.id)).toEqual([survivor.familyId]);
    expect(await small.dataSource.getRepository(RefreshToken).count()).toBe(1);
    expect(await small.families.purgeExpired()).toBe(0);
    await small.dataSource.destroy();
  });
});
