import { GatehouseCache, RevocationStore } from '@gatehouse/core';
import { createApiKeysTestbed, user, verifyCached, type ApiKeysTestbed, refusal } from '../test/api-keys-testing.js';
import { ApiKeyAnomalyDetector } from './api-key-anomaly.detector.js';
import { ApiKey } from './api-key.entity.js';
import { generateApiKey } from './api-key.format.js';
import { ApiKeyVerifier, hashApiKey } from './api-key.verifier.js';
import { ApiKeysService } from './api-keys.service.js';


describe('ApiKeyVerifier', () => {
  let bed: ApiKeysTestbed;
  let verifier: ApiKeyVerifier;
  let keys: ApiKeysService;
  const alice = user('alice');
  const detector = () => bed.module.get(ApiKeyAnomalyDetector);

  beforeEach(async () => {
    bed = await createApiKeysTestbed();
    verifier = bed.module.get(ApiKeyVerifier);
    keys = bed.module.get(ApiKeysService);
  });
  afterEach(() => bed.close());

  it('turns a key into an api-key principal for its owner with the key scopes', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'ci', scopes: ['orders:read'], expiresInDays: 30 });
    const principal = await verifier.verify(key, '203.0.113.9');
    expect(principal).toEqual({
      kind: 'api-key',
      subject: 'alice',
      scopes: ['orders:read'],
      credential: { mechanism: 'api-key', id: apiKey.id, expiresAt: bed.clock.now() + 30 * 86_400_000 },
    });
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it('stores only the SHA-256 of the key, never the key', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'ci', scopes: [] });
    const rows = await bed.dataSource.query('SELECT * FROM api_keys');
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(JSON.stringify(rows)).not.toContain(key.slice(8, 40));
    const row = await bed.dataSource.getRepository(ApiKey).findOneByOrFail({ id: apiKey.id });
    expect(row.hash).toBe(hashApiKey(key));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a cached key and a bad checksum without a single query', async () => {
    const { key } = await keys.create(alice, { name: 'ci', scopes: ['orders:read'] });
    await verifier.verify(key);
    bed.queries.queries.length = 0;
    for (let i = 0; i < 50; i++) expect(verifyCached(verifier, key).subject).toBe('alice');
    const typo = key.slice(0, 20) + (key[20] === 'a' ? 'b' : 'a') + key.slice(21);
    for (const bad of [typo, 'gh_live_nope', 'garbage', '', `${key}x`]) {
      expect((await refusal(() => verifier.verify(bad))).code).toBe('invalid_api_key');
    }
    expect(bed.queries.count).toBe(0);
  });

  it('marks a key refused by its checksum as malformed (counted without I/O), and a well-formed unknown key not', async () => {
    const garbage = verifier.check('gh_live_nope', '192.0.2.60');
    expect(garbage).toMatchObject({ code: 'invalid_api_key', malformed: true });
    expect((await refusal(() => verifier.verify(generateApiKey('gh_live'), '192.0.2.60'))).malformed).toBe(false);
  });

  it('returns cached keys synchronously (no promise on the hot path)', async () => {
    const { key } = await keys.create(alice, { name: 'ci', scopes: [] });
    expect(verifier.verify(key)).toBeInstanceOf(Promise);
    await verifier.verify(key);
    expect(verifier.verify(key)).not.toBeInstanceOf(Promise);
  });

  it('remembers unknown keys: a repeat costs no query', async () => {
    const unknown = generateApiKey('gh_live');
    await refusal(() => verifier.verify(unknown));
    expect(bed.queries.count).toBe(1);
    await refusal(() => verifier.verify(unknown));
    expect(bed.queries.count).toBe(1);
  });

  it('shares one query between concurrent first uses of a key', async () => {
    const { key } = await keys.create(alice, { name: 'ci', scopes: [] });
    bed.queries.queries.length = 0;
    const principals = await Promise.all(Array.from({ length: 20 }, async () => verifier.verify(key)));
    expect(new Set(principals.map((p) => p.credential.id)).size).toBe(1);
    expect(bed.queries.count).toBe(1);
  });

  it('refuses unknown, revoked, expired and mistyped keys with one identical error', async () => {
    const revoked = await keys.create(alice, { name: 'revoked', scopes: [] });
    await verifier.verify(revoked.key);
    await keys.revoke(alice, revoked.apiKey.id);
    const expired = await keys.create(alice, { name: 'expired', scopes: [], expiresInDays: 1 });
    const valid = await keys.create(alice, { name: 'valid', scopes: [], expiresInDays: 30 });
    bed.clock.advance(86_400_000);
    const mistyped = valid.key.slice(0, -1) + (valid.key.endsWith('a') ? 'b' : 'a');
    const errors = await Promise.all(
      [generateApiKey('gh_live'), revoked.key, expired.key, mistyped, 'gh_live_short'].map((key) => refusal(() => verifier.verify(key))),
    );
    const shapes = errors.map((error) => ({ code: error.code, status: error.status, message: error.message, details: error.details }));
    expect(new Set(shapes.map((shape) => JSON.stringify(shape))).size).toBe(1);
    expect(shapes[0]).toEqual({ code: 'invalid_api_key', status: 401, message: 'The API key is invalid.', details: { mechanism: 'api-key' } });
  });

  it('stops accepting a key the moment it expires, even from the cache', async () => {
    const { key } = await keys.create(alice, { name: 'short', scopes: [], expiresInDays: 1 });
    await verifier.verify(key);
    bed.clock.advance(86_400_000 - 1);
    expect(verifyCached(verifier, key).subject).toBe('alice');
    bed.clock.advance(1);
    expect((await refusal(() => verifier.verify(key))).code).toBe('invalid_api_key');
  });

  it('honours the revocation list over a cached entry (a racing fill on another instance)', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'ci', scopes: [] });
    await verifier.verify(key);
    // Another instance revoked the key; our cache still holds it as valid.
    await bed.module.get<RevocationStore>(RevocationStore).revoke(`api-key:${apiKey.id}`, bed.clock.now(), 60_000);
    expect((await refusal(() => verifier.verify(key))).code).toBe('invalid_api_key');
  });

  it('honours the revocation list over an entry a shared cache kept from before revocation keys were cached', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'old', scopes: [] });
    await verifier.verify(key);
    const cache = bed.module.get<GatehouseCache>(GatehouseCache);
    const cacheKey = `api-key:${hashApiKey(key)}`;
    const { revocationKey, ...older } = cache.get<Record<string, unknown>>(cacheKey)!;
    expect(revocationKey).toBe(`api-key:${apiKey.id}`);
    cache.set(cacheKey, older, 60_000);
    expect(verifyCached(verifier, key).subject).toBe('alice');
    await bed.module.get<RevocationStore>(RevocationStore).revoke(`api-key:${apiKey.id}`, bed.clock.now(), 60_000);
    expect((await refusal(() => verifier.verify(key))).code).toBe('invalid_api_key');
  });

  it('turns a store outage into 503, not a 401 or a 500', async () => {
    await bed.dataSource.query('DROP TABLE api_keys');
    expect((await refusal(() => verifier.verify(generateApiKey('gh_live')))).code).toBe('service_unavailable');
  });

  it('keys cached entries by hash, never by the key', async () => {
    const { key } = await keys.create(alice, { name: 'ci', scopes: [] });
    await verifier.verify(key);
    const cache = bed.module.get<GatehouseCache>(GatehouseCache);
    expect(cache.get(`api-key:${hashApiKey(key)}`)).toBeDefined();
    expect(cache.get(`api-key:${key}`)).toBeUndefined();
  });

  it('emits revoked_used when a revoked key is still tried, at most once per cooldown', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'ci', scopes: [] });
    await keys.revoke(alice, apiKey.id);
    for (let i = 0; i < 5; i++) await refusal(() => verifier.verify(key, '198.51.100.4'));
    const used = bed.events.filter((event) => event.type === 'api_key.revoked_used');
    expect(used).toEqual([expect.objectContaining({ keyId: apiKey.id, subject: 'alice', ip: '198.51.100.4' })]);
    bed.clock.advance(60_000);
    await refusal(() => verifier.verify(key, '198.51.100.4'));
    expect(bed.events.filter((event) => event.type === 'api_key.revoked_used')).toHaveLength(2);
  });

  it('refuses a key that fails its checksum at once: no promise, no query', () => {
    const key = generateApiKey('gh_live');
    const mistyped = `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
    bed.queries.queries.length = 0;
    let refusal: unknown;
    try {
      void verifier.verify(mistyped, '192.0.2.9');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'invalid_api_key', status: 401 });
    expect(bed.queries.count).toBe(0);
  });

  it('emits failure_burst once when one IP fails ten times within a minute', async () => {
    for (let i = 0; i < 9; i++) await refusal(() => verifier.verify(generateApiKey('gh_live'), '192.0.2.1'));
    await refusal(() => verifier.verify('nonsense', '192.0.2.2'));
    await detector().settled();
    expect(bed.events.filter((event) => event.type === 'api_key.failure_burst')).toHaveLength(0);
    await refusal(() => verifier.verify('nonsense', '192.0.2.1'));
    await refusal(() => verifier.verify('nonsense', '192.0.2.1'));
    await detector().settled();
    expect(bed.events.filter((event) => event.type === 'api_key.failure_burst')).toEqual([
      expect.objectContaining({ ip: '192.0.2.1', failures: 10 }),
    ]);
    bed.clock.advance(60_000);
    for (let i = 0; i < 9; i++) await refusal(() => verifier.verify('nonsense', '192.0.2.1'));
    await detector().settled();
    expect(bed.events.filter((event) => event.type === 'api_key.failure_burst')).toHaveLength(1);
  });

  it('looks up every well-formed key from an address that keeps failing: a good key is never refused for others\' failures', async () => {
    const fresh = await keys.create(alice, { name: 'fresh', scopes: [] });
    for (let i = 0; i < 150; i++) await refusal(() => verifier.verify(generateApiKey('gh_live'), '192.0.2.7'));
    bed.queries.queries.length = 0;
    expect((await verifier.verify(fresh.key, '192.0.2.7')).subject).toBe('alice');
    expect(bed.queries.count).toBeGreaterThan(0);
  });

  it('emits new_network when a key moves to another /24 or /64, not within one', async () => {
    const { key, apiKey } = await keys.create(alice, { name: 'ci', scopes: [] });
    await verifier.verify(key, '203.0.113.10');
    verifyCached(verifier, key, '203.0.113.77');
    verifyCached(verifier, key, '203.0.113.10');
    await detector().settled();
    expect(bed.events.filter((event) => event.type === 'api_key.new_network')).toHaveLength(0);
    verifyCached(verifier, key, '198.51.100.7');
    await detector().settled();
    verifyCached(verifier, key, '2001:db8:1:2::5');
    verifyCached(verifier, key, '2001:db8:1:2::9');
    verifyCached(verifier, key, '203.0.113.200');
    await detector().settled();
    expect(bed.events.filter((event) => event.type === 'api_key.new_network')).toEqual([
      expect.objectContaining({ keyId: apiKey.id, subject: 'alice', network: '198.51.100.0/24', previousNetwork: '203.0.113.0/24' }),
      expect.objectContaining({ network: '2001:db8:1:2::/64', previousNetwork: '198.51.100.0/24' }),
    ]);
  });
});
