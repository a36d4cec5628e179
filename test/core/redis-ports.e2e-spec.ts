import { randomBytes } from 'node:crypto';
import { RedisCache, RedisRevocationStore } from '@gatehouse/core';
import { RedisBus } from '@gatehouse/core/testing';

// Two instances share one Redis: a revocation or an invalidation on one reaches the other.
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

const eventually = async (check: () => boolean, timeoutMs = 1_000): Promise<number> => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
};

withRedis('Redis cache and revocation store (two instances)', () => {
  const prefix = `gatehouse-test-${randomBytes(6).toString('hex')}:`;
  const buses: RedisBus[] = [];
  const bus = async () => {
    const created = await RedisBus.create(process.env.REDIS_URL as string, prefix);
    await created.connect();
    buses.push(created);
    return created;
  };

  afterAll(async () => {
    const cleanup = buses[0];
    const keys = cleanup ? await cleanup.client.keys(`${prefix}*`) : [];
    if (keys.length) await cleanup.client.del(...keys);
    await Promise.all(buses.map((created) => created.close()));
  });

  it('mirrors a revocation to another instance within a second', async () => {
    const a = new RedisRevocationStore(await bus());
    const b = new RedisRevocationStore(await bus());
    await a.revoke('sid:family-1', 1_234, 60_000);
    expect(a.revokedAt('sid:family-1')).toBe(1_234);
    const waited = await eventually(() => b.revokedAt('sid:family-1') === 1_234);
    expect(waited).toBeLessThan(1_000);
  });

  it('loads live revocations when an instance starts later', async () => {
    const a = new RedisRevocationStore(await bus());
    await a.revoke('sub:user-9', 5_000, 60_000);
    const late = new RedisRevocationStore(await bus());
    expect(late.revokedAt('sub:user-9')).toBeUndefined();
    await late.load();
    expect(late.revokedAt('sub:user-9')).toBe(5_000);
  });

  it('drops an invalidated cache entry on every instance', async () => {
    const a = new RedisCache(await bus());
    const b = new RedisCache(await bus());
    a.set('session:h1', { subject: 'u1' }, 60_000);
    b.set('session:h1', { subject: 'u1' }, 60_000);
    await a.invalidate('session:h1');
    expect(a.get('session:h1')).toBeUndefined();
    await eventually(() => b.get('session:h1') === undefined);
    expect(await b.isReady()).toBe(true);
  });
});
