import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManualClock } from './clock.js';
import { coreEntities } from './core.entities.js';
import { DurableRevocationStore, type RevocationFeedOptions } from './durable-revocation.store.js';
import { GatehouseError } from './gatehouse.error.js';
import type { BusMessage, RedisBus } from './redis.bus.js';
import { RevocationRecord } from './revocation.entity.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const FEED: RevocationFeedOptions = { maxEntries: 1_000, pollIntervalMs: 2_000, maxStalenessMs: 30_000, pollOverlapMs: 60_000 };

Logger.overrideLogger(false);

/** A RedisBus stand-in whose liveness the test decides. */
function fakeBus(live: boolean) {
  const listeners: Array<(message: BusMessage) => void> = [];
  const published: BusMessage[] = [];
  const bus = {
    live,
    isLive: () => bus.live,
    onMessage: (listener: (message: BusMessage) => void) => listeners.push(listener),
    onReconnect: () => undefined,
    publish: async (message: BusMessage) => {
      if (!bus.live) throw new Error('Connection is closed.');
      published.push(message);
    },
    deliver: (message: BusMessage) => listeners.forEach((listener) => listener(message)),
    published,
  };
  return bus;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof GatehouseError) return `${error.code}:${error.status}`;
    throw error;
  }
  return 'ok';
}

describe('DurableRevocationStore', () => {
  let dataSource: DataSource;
  let clock: ManualClock;
  const stores: DurableRevocationStore[] = [];
  const store = async (options: Partial<RevocationFeedOptions> = {}, bus: ReturnType<typeof fakeBus> | null = null) => {
    const created = new DurableRevocationStore(dataSource, clock, { ...FEED, ...options }, bus as unknown as RedisBus | null);
    await created.start();
    stores.push(created);
    return created;
  };

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: coreEntities, synchronize: true }).initialize();
    clock = new ManualClock(T0);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((created) => created.stop()));
    jest.restoreAllMocks();
    await dataSource.destroy();
  });

  it('writes the revocation to the database before it answers, keeping the latest time', async () => {
    const a = await store();
    await a.revoke('sub:u1', T0 + 5, 60_000);
    await a.revoke('sub:u1', T0 + 1, 120_000);
    const row = await dataSource.getRepository(RevocationRecord).findOneByOrFail({ key: 'sub:u1' });
    expect(row).toEqual({ key: 'sub:u1', revokedAt: T0 + 5, expiresAt: T0 + 120_000 });
    expect(a.revokedAt('sub:u1')).toBe(T0 + 5);
  });

  it('loads every revocation in force at start, and none that has expired', async () => {
    const a = await store();
    await a.revoke('sid:f1', T0, 60_000);
    await a.revoke('sid:short', T0, 1_000);
    clock.advance(5_000);
    const b = await store();
    expect(b.revokedAt('sid:f1')).toBe(T0);
    expect(b.revokedAt('sid:short')).toBeUndefined();
  });

  it('picks up a revocation made on another instance at its next poll, without Redis', async () => {
    const a = await store();
    const b = await store();
    clock.advance(1_000);
    await a.revoke('api-key:k1', clock.now(), 60_000);
    expect(b.revokedAt('api-key:k1')).toBeUndefined();
    await b.poll();
    expect(b.revokedAt('api-key:k1')).toBe(T0 + 1_000);
  });

  it('commits and answers when Redis is down; publishes when it is up', async () => {
    const bus = fakeBus(false);
    const a = await store({}, bus);
    await expect(a.revoke('sid:f1', T0, 60_000)).resolves.toBeUndefined();
    expect(bus.published).toEqual([]);
    bus.live = true;
    await a.revoke('sid:f2', T0, 60_000);
    expect(bus.published).toEqual([{ type: 'revoke', key: 'sid:f2', revokedAt: T0, ttlMs: 60_000 }]);
    expect(await dataSource.getRepository(RevocationRecord).count()).toBe(2);
  });

  it('mirrors revocations arriving by pub/sub', async () => {
    const bus = fakeBus(true);
    const a = await store({}, bus);
    bus.deliver({ type: 'revoke', key: 'sid:remote', revokedAt: T0, ttlMs: 60_000 });
    expect(a.revokedAt('sid:remote')).toBe(T0);
  });

  describe('staleness policy (N = maxStalenessMs = 30 s)', () => {
    const cutDatabase = () =>
      jest.spyOn(dataSource, 'getRepository').mockImplementation(() => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      });

    it('serves while the last good poll is at most N old, refuses with 503 past N, and recovers on the next good poll', async () => {
      const a = await store();
      cutDatabase();
      clock.advance(30_000);
      await a.poll();
      expect(codeOf(() => a.revokedAt('sid:any'))).toBe('ok');
      expect(a.status()).toMatchObject({ fresh: true, redis: 'none', lastPollAgeMs: 30_000 });
      clock.advance(1);
      await a.poll();
      expect(codeOf(() => a.revokedAt('sid:any'))).toBe('service_unavailable:503');
      expect(a.status().fresh).toBe(false);
      jest.restoreAllMocks();
      await a.poll();
      expect(codeOf(() => a.revokedAt('sid:any'))).toBe('ok');
    });

    it('stays fresh past N while Redis pub/sub is live, even with its database cut', async () => {
      const bus = fakeBus(true);
      const a = await store({}, bus);
      cutDatabase();
      clock.advance(120_000);
      await a.poll();
      expect(codeOf(() => a.revokedAt('sid:any'))).toBe('ok');
      bus.live = false;
      expect(codeOf(() => a.revokedAt('sid:any'))).toBe('service_unavailable:503');
    });

    it('keeps serving with maxStalenessMs: Infinity', async () => {
      const a = await store({ maxStalenessMs: Infinity });
      cutDatabase();
      clock.advance(3_600_000);
      await a.poll();
      expect(codeOf(() => a.revokedAt('sid:any'))).toBe('ok');
    });
  });

  it('turned away at the bound, reloads what is in force once there is room again', async () => {
    const a = await store({ maxEntries: 2 });
    await a.revoke('sid:1', T0, 1_000);
    await a.revoke('sid:2', T0, 60_000);
    await a.revoke('sid:3', T0, 60_000);
    expect(codeOf(() => a.revokedAt('sid:3'))).toBe('service_unavailable:503');
    clock.advance(2_000);
    await a.poll();
    expect(a.revokedAt('sid:3')).toBe(T0);
    expect(a.revokedAt('sid:2')).toBe(T0);
  });
});
