import { createApiKeysTestbed, user, verifyCached, type ApiKeysTestbed } from '../test/api-keys-testing.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyStore } from './api-key-store.interface.js';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder.js';
import { ApiKeyVerifier } from './api-key.verifier.js';
import { ApiKeysService } from './api-keys.service.js';

describe('ApiKeyUsageRecorder (write-behind usage)', () => {
  let bed: ApiKeysTestbed;
  let usage: ApiKeyUsageRecorder;
  let verifier: ApiKeyVerifier;
  let keys: ApiKeysService;
  const row = (id: string) => bed.dataSource.getRepository(ApiKey).findOneByOrFail({ id });

  beforeEach(async () => {
    bed = await createApiKeysTestbed();
    usage = bed.module.get(ApiKeyUsageRecorder);
    verifier = bed.module.get(ApiKeyVerifier);
    keys = bed.module.get(ApiKeysService);
  });
  afterEach(() => bed.close());

  it('does no write on the request path, then one statement for every key', async () => {
    const a = await keys.create(user('alice'), { name: 'a', scopes: [] });
    const b = await keys.create(user('bob'), { name: 'b', scopes: [] });
    await verifier.verify(a.key, '203.0.113.1');
    await verifier.verify(b.key, '2001:db8::1');
    bed.queries.queries.length = 0;
    for (let i = 0; i < 99; i++) verifyCached(verifier, a.key, '203.0.113.1');
    for (let i = 0; i < 9; i++) verifyCached(verifier, b.key, '2001:db8::1');
    expect(bed.queries.count).toBe(0);
    expect(usage.unwritten).toBe(110);
    await usage.flush();
    expect(bed.queries.queries.filter((query) => query.startsWith('UPDATE'))).toHaveLength(1);
    expect(await row(a.apiKey.id)).toEqual(
      expect.objectContaining({ usageCount: 100, lastUsedAt: bed.clock.now(), lastUsedNetwork: '203.0.113.0/24' }),
    );
    expect(await row(b.apiKey.id)).toEqual(expect.objectContaining({ usageCount: 10, lastUsedNetwork: '2001:db8:0:0::/64' }));
    expect(usage.unwritten).toBe(0);
  });

  it('writes each key at most once per minute', async () => {
    const { key, apiKey } = await keys.create(user('alice'), { name: 'a', scopes: [] });
    await verifier.verify(key);
    await usage.flush();
    bed.queries.queries.length = 0;
    bed.clock.advance(30_000);
    verifyCached(verifier, key);
    await usage.flush();
    expect(bed.queries.count).toBe(0);
    bed.clock.advance(29_999);
    await usage.flush();
    expect(bed.queries.count).toBe(0);
    bed.clock.advance(1);
    await usage.flush();
    expect(bed.queries.count).toBe(1);
    expect(await row(apiKey.id)).toEqual(expect.objectContaining({ usageCount: 2, lastUsedAt: bed.clock.now() - 30_000 }));
  });

  it('forgets keys idle since their last write, so memory stays bounded', async () => {
    const { key } = await keys.create(user('alice'), { name: 'a', scopes: [] });
    await verifier.verify(key);
    await usage.flush();
    bed.clock.advance(60_000);
    await usage.flush();
    expect((usage as unknown as { pending: Map<string, unknown> }).pending.size).toBe(0);
  });

  it('keeps counts when a write fails and writes them next time', async () => {
    const { key, apiKey } = await keys.create(user('alice'), { name: 'a', scopes: [] });
    await verifier.verify(key);
    verifyCached(verifier, key);
    const store = bed.module.get<ApiKeyStore>(ApiKeyStore);
    const original = store.recordUsage.bind(store);
    store.recordUsage = () => Promise.reject(new Error('database away'));
    await expect(usage.flush()).rejects.toThrow('database away');
    expect(usage.unwritten).toBe(2);
    store.recordUsage = original;
    verifyCached(verifier, key);
    await usage.flush();
    expect((await row(apiKey.id)).usageCount).toBe(3);
  });

  it('merges out-of-order batches: counts add, last-used only moves forward', async () => {
    const { apiKey } = await keys.create(user('alice'), { name: 'a', scopes: [] });
    const store = bed.module.get<ApiKeyStore>(ApiKeyStore);
    const t = bed.clock.now();
    await store.recordUsage([{ id: apiKey.id, count: 5, lastUsedAt: t + 2000, network: '203.0.113.0/24' }]);
    await store.recordUsage([{ id: apiKey.id, count: 7, lastUsedAt: t + 1000, network: '198.51.100.0/24' }]);
    await store.recordUsage([{ id: 'no-such-key', count: 1, lastUsedAt: t, network: undefined }]);
    expect(await row(apiKey.id)).toEqual(expect.objectContaining({ usageCount: 12, lastUsedAt: t + 2000, lastUsedNetwork: '203.0.113.0/24' }));
  });

  it('flushes everything on shutdown, however recent', async () => {
    const { key, apiKey } = await keys.create(user('alice'), { name: 'a', scopes: [] });
    await verifier.verify(key);
    await usage.flush();
    verifyCached(verifier, key);
    verifyCached(verifier, key);
    const store = bed.module.get<ApiKeyStore>(ApiKeyStore);
    const written: unknown[] = [];
    const original = store.recordUsage.bind(store);
    store.recordUsage = async (deltas) => {
      written.push(...deltas);
      await original(deltas);
    };
    await usage.beforeApplicationShutdown();
    expect(written).toEqual([expect.objectContaining({ id: apiKey.id, count: 2 })]);
    expect((await row(apiKey.id)).usageCount).toBe(3);
  });
});
