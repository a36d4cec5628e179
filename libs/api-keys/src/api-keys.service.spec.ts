import type { Principal } from '@gatehouse/core';
import { createApiKeysTestbed, user, type ApiKeysTestbed, refusal } from '../test/api-keys-testing.js';
import { ApiKeyVerifier } from './api-key.verifier.js';
import { ApiKeysService } from './api-keys.service.js';

const DAY = 86_400_000;


describe('ApiKeysService', () => {
  let bed: ApiKeysTestbed;
  let keys: ApiKeysService;
  let verifier: ApiKeyVerifier;
  const alice = user('alice');
  const bob = user('bob');

  beforeEach(async () => {
    bed = await createApiKeysTestbed({ maxKeysPerOwner: 5 });
    keys = bed.module.get(ApiKeysService);
    verifier = bed.module.get(ApiKeyVerifier);
  });
  afterEach(() => bed.close());

  it('issues a key once and lists keys without secrets', async () => {
    const issued = await keys.create(alice, { name: '  deploy bot ', scopes: ['orders:read', 'orders:read'] });
    expect(issued.key).toMatch(/^gh_live_[0-9A-Za-z]{49}$/);
    expect(issued.apiKey).toEqual(
      expect.objectContaining({ name: 'deploy bot', scopes: ['orders:read'], status: 'active', usageCount: 0, hint: `gh_live_…${issued.key.slice(-4)}` }),
    );
    expect(issued.apiKey.expiresAt).toBe(new Date(bed.clock.now() + 90 * DAY).toISOString());
    const listed = await keys.list(alice);
    expect(listed).toEqual([issued.apiKey]);
    expect(JSON.stringify(listed)).not.toContain(issued.key.slice(8, -4));
    expect(Object.keys(listed[0])).not.toContain('hash');
    expect(bed.events.map((event) => event.type)).toContain('api_key.created');
  });

  it('lets one owner hold several active keys, each working on its own', async () => {
    const a = await keys.create(alice, { name: 'a', scopes: ['orders:read'] });
    const b = await keys.create(alice, { name: 'b', scopes: ['orders:write'] });
    expect((await verifier.verify(a.key)).scopes).toEqual(['orders:read']);
    expect((await verifier.verify(b.key)).scopes).toEqual(['orders:write']);
    expect((await keys.list(alice)).map((key) => key.status)).toEqual(['active', 'active']);
    expect(await keys.list(bob)).toEqual([]);
  });

  it('refuses scopes the creator does not hold, naming them', async () => {
    const reader: Principal = user('carol', ['orders:read', 'api-keys:manage']);
    const error = await refusal(() => keys.create(reader, { name: 'x', scopes: ['orders:read', 'orders:write', 'admin'] }));
    expect(error.code).toBe('insufficient_scope');
    expect(error.details.scope).toBe('orders:write admin');
    expect(await keys.list(reader)).toEqual([]);
  });

  it('refuses keys and service tokens as managers, so a key cannot mint keys', async () => {
    const { key } = await keys.create(alice, { name: 'x', scopes: ['api-keys:manage'] });
    const asKey = await verifier.verify(key);
    expect((await refusal(() => keys.create(asKey, { name: 'y', scopes: [] }))).code).toBe('forbidden');
    const service: Principal = { kind: 'service', subject: 'alice', scopes: ['api-keys:manage'], credential: { mechanism: 'jwt', id: 'jti' } };
    expect((await refusal(() => keys.list(service))).code).toBe('forbidden');
  });

  it.each([
    [{ name: '', scopes: [] }],
    [{ name: 'x'.repeat(101), scopes: [] }],
    [{ name: 'bell\u0007', scopes: [] }],
    [{ name: 'x', scopes: 'orders:read' }],
    [{ name: 'x', scopes: ['has space'] }],
    [{ name: 'x', scopes: ['quote"'] }],
    [{ name: 'x', scopes: [], expiresInDays: 0 }],
    [{ name: 'x', scopes: [], expiresInDays: 1.5 }],
    [{ name: 'x', scopes: [], expiresInDays: 366 }],
  ])('refuses bad input %j with validation_failed', async (input) => {
    expect((await refusal(() => keys.create(alice, input as never))).code).toBe('validation_failed');
  });

  it('caps active keys per owner; revoked ones do not count', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await keys.create(alice, { name: `k${i}`, scopes: [] }));
    expect((await refusal(() => keys.create(alice, { name: 'k5', scopes: [] }))).code).toBe('conflict');
    await keys.revoke(alice, made[0].apiKey.id);
    await expect(keys.create(alice, { name: 'k5', scopes: [] })).resolves.toBeDefined();
  });

  it('rotates: new key at once, old key until the grace period ends', async () => {
    const old = await keys.create(alice, { name: 'ci', scopes: ['orders:read'], expiresInDays: 30 });
    await verifier.verify(old.key);
    const rotated = await keys.rotate(alice, old.apiKey.id);
    expect(rotated.key).not.toBe(old.key);
    expect(rotated.apiKey).toEqual(expect.objectContaining({ name: 'ci', scopes: ['orders:read'], rotatedFromId: old.apiKey.id }));
    expect(rotated.apiKey.expiresAt).toBe(new Date(bed.clock.now() + 30 * DAY).toISOString());
    expect(rotated.previous).toEqual(expect.objectContaining({ replacedById: rotated.apiKey.id, expiresAt: new Date(bed.clock.now() + DAY).toISOString() }));
    bed.clock.advance(DAY - 1);
    expect((await verifier.verify(old.key)).credential.id).toBe(old.apiKey.id);
    bed.clock.advance(1);
    expect((await refusal(() => verifier.verify(old.key))).code).toBe('invalid_api_key');
    expect((await verifier.verify(rotated.key)).credential.id).toBe(rotated.apiKey.id);
  });

  it('rotates with a per-call grace, including none', async () => {
    const old = await keys.create(alice, { name: 'ci', scopes: [] });
    await verifier.verify(old.key);
    await keys.rotate(alice, old.apiKey.id, { graceMs: 0 });
    expect((await refusal(() => verifier.verify(old.key))).code).toBe('invalid_api_key');
    const other = await keys.create(alice, { name: 'other', scopes: [] });
    await keys.rotate(alice, other.apiKey.id, { graceMs: 3_600_000 });
    bed.clock.advance(3_600_000);
    expect((await refusal(() => verifier.verify(other.key))).code).toBe('invalid_api_key');
  });

  it('never lengthens the old key: grace ends at its own expiry if sooner', async () => {
    const old = await keys.create(alice, { name: 'ci', scopes: [], expiresInDays: 1 });
    bed.clock.advance(DAY - 3_600_000);
    const rotated = await keys.rotate(alice, old.apiKey.id);
    expect(rotated.previous.expiresAt).toBe(old.apiKey.expiresAt);
  });

  it('rotates a key once, and only an active one', async () => {
    const old = await keys.create(alice, { name: 'ci', scopes: [] });
    const results = await Promise.allSettled([keys.rotate(alice, old.apiKey.id), keys.rotate(alice, old.apiKey.id)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await refusal(() => keys.rotate(alice, old.apiKey.id))).code).toBe('conflict');
    expect((await keys.list(alice)).filter((key) => key.rotatedFromId === old.apiKey.id)).toHaveLength(1);
    const revoked = await keys.create(alice, { name: 'gone', scopes: [] });
    await keys.revoke(alice, revoked.apiKey.id);
    expect((await refusal(() => keys.rotate(alice, revoked.apiKey.id))).code).toBe('conflict');
  });

  it('re-checks scopes on rotation against what the owner holds now', async () => {
    const old = await keys.create(alice, { name: 'ci', scopes: ['orders:write'] });
    const demoted = user('alice', ['orders:read', 'api-keys:manage']);
    expect((await refusal(() => keys.rotate(demoted, old.apiKey.id))).code).toBe('insufficient_scope');
  });

  it('revokes at once, even a cached key', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'ci', scopes: [] });
    await verifier.verify(key);
    const view = await keys.revoke(alice, apiKey.id);
    expect(view.status).toBe('revoked');
    expect((await refusal(() => verifier.verify(key))).code).toBe('invalid_api_key');
    expect((await keys.revoke(alice, apiKey.id)).status).toBe('revoked');
    expect(bed.events.filter((event) => event.type === 'api_key.revoked')).toHaveLength(1);
  });

  it('revoking a rotated key also ends its predecessor still in grace', async () => {
    const first = await keys.create(alice, { name: 'ci', scopes: [] });
    const second = await keys.rotate(alice, first.apiKey.id);
    const third = await keys.rotate(alice, second.apiKey.id);
    await keys.revoke(alice, third.apiKey.id);
    for (const key of [first.key, second.key, third.key]) {
      expect((await refusal(() => verifier.verify(key))).code).toBe('invalid_api_key');
    }
  });

  it("answers 404 for another owner's key, for every operation", async () => {
    const { apiKey } = await keys.create(alice, { name: 'ci', scopes: [] });
    for (const action of [() => keys.get(bob, apiKey.id), () => keys.rotate(bob, apiKey.id), () => keys.revoke(bob, apiKey.id)]) {
      expect((await refusal(action)).code).toBe('not_found');
    }
    expect((await refusal(() => keys.get(alice, 'no-such-id'))).code).toBe('not_found');
    expect((await keys.get(alice, apiKey.id)).status).toBe('active');
  });
});
