import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { generateApiKey } from '@gatehouse/api-keys';
import { GATEHOUSE_RATE_LIMIT_REDIS, type RateLimitRedis } from '@gatehouse/core';
import { ADAPTERS } from '../support/adapters.js';
import { provisionDatabase, type TestDatabase } from '../support/database.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { eventually } from '../sessions/session-helpers.js';
import { createKey, PASSWORD, signUp } from '../api-keys/api-key-helpers.js';
import { OwnRedis } from './own-redis.js';

const LIMITS = {
  TRUST_PROXY: 'loopback',
  ANONYMOUS_RATE_LIMIT: '4/60',
  AUTH_FAILURE_LIMIT: '3/60',
  API_KEY_RATE_LIMIT: '1000/60',
  LOGIN_RATE_LIMIT_ACCOUNT: '3/60',
  LOGIN_RATE_LIMIT_ACCOUNT_IP: '1000/60',
  LOGIN_RATE_LIMIT_IP: '1000/60',
};

/** Alternates requests between the instances, one after the other; their statuses. */
async function alternate(instances: RunningDemo[], count: number, send: (demo: RunningDemo) => request.Test): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await send(instances[i % instances.length])).status);
  return seen;
}

describe.each(ADAPTERS)('rate limits across instances and through a Redis outage (%s)', (adapter) => {
  let redis: OwnRedis;
  let database: TestDatabase;
  let a: RunningDemo;
  let b: RunningDemo;
  let key: string;
  let phase = 0;
  /** A fresh client address per step, so each step starts with untouched per-address budgets. */
  const nextAddress = () => `198.51.100.${++phase}`;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    database = await provisionDatabase();
    const redisKeyPrefix = `gatehouse-outage-${randomBytes(4).toString('hex')}:`;
    const env = { ...LIMITS, REDIS_URL: redis.url };
    a = await startDemo(adapter, { env, database, redisKeyPrefix });
    b = await startDemo(adapter, { env, database, redisKeyPrefix, clock: a.clock });
    ({ key } = await createKey(a, await signUp(a, 'outage'), { scopes: ['orders:read'] }));
  }, 30_000);
  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
    await redis?.down();
  }, 30_000);

  async function expectGlobal(): Promise<void> {
    const anonymous = nextAddress();
    expect(await alternate([a, b], 6, (demo) => request(demo.http).get('/').set('X-Forwarded-For', anonymous))).toEqual([200, 200, 200, 200, 429, 429]);
    const attacker = nextAddress();
    const refusals = await alternate([a, b], 5, (demo) => request(demo.http).get('/orders').set('X-Forwarded-For', attacker).set('X-API-Key', generateApiKey('gh_live')));
    expect(refusals).toEqual([401, 401, 401, 429, 429]);
    const email = `nobody-${randomBytes(4).toString('hex')}@example.com`;
    const signIns = await alternate([a, b], 5, (demo) =>
      request(demo.http).post('/auth/token').set('X-Forwarded-For', nextAddress()).send({ email, password: 'wrong password' }),
    );
    expect(signIns).toEqual([401, 401, 401, 429, 429]);
  }

  it('counts anonymous requests, refused credentials and sign-in attempts once for both instances', async () => {
    await expectGlobal();
  }, 20_000);

  it('counts garbage credentials per instance, in memory, with nothing sent to Redis; guesses go to Redis', async () => {
    const redisKeys = async (address: string) => {
      const counters = a.app.get<RateLimitRedis>(GATEHOUSE_RATE_LIMIT_REDIS);
      return counters.client.keys(`*${counters.prefix}*${address}*`);
    };
    const garbage = nextAddress();
    const malformed = (demo: RunningDemo, i: number) =>
      i % 2 === 0
        ? request(demo.http).get('/orders').set('X-Forwarded-For', garbage).set('X-API-Key', 'gh_live_nope')
        : request(demo.http).get('/orders').set('X-Forwarded-For', garbage).set('Authorization', `Bearer ${randomBytes(24).toString('base64url')}`);
    // Each instance allows three before its own 429: six 401s over two instances, then 429s on both.
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) seen.push((await malformed([a, b][i % 2]!, Math.floor(i / 2))).status);
    expect(seen).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    expect(await redisKeys(garbage)).toEqual([]);
    const guesser = nextAddress();
    await request(a.http).get('/orders').set('X-Forwarded-For', guesser).set('X-API-Key', generateApiKey('gh_live')).expect(401);
    expect((await redisKeys(guesser)).length).toBeGreaterThan(0);
  }, 20_000);

  it('answers within the counters\' timeout while Redis stalls, without a 500', async () => {
    redis.pause();
    try {
      const started = Date.now();
      const seen = await alternate([a, b], 6, (demo) => request(demo.http).get('/').set('X-Forwarded-For', nextAddress()));
      expect(seen).toEqual([200, 200, 200, 200, 200, 200]);
      // One timed-out probe per instance (250 ms), then memory until the next probe a second later.
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      redis.resume();
    }
    await eventually(async () => {
      await Promise.all([a, b].map((demo) => request(demo.http).get('/').set('X-Forwarded-For', '192.0.2.251')));
      return [a, b].every((demo) => !demo.app.get<RateLimitRedis>(GATEHOUSE_RATE_LIMIT_REDIS).degraded);
    }, 10_000);
  }, 20_000);

  it('degrades to per-instance limits when Redis dies: no 500, a warning and an event; global again once it returns', async () => {
    await redis.down();
    // In memory each instance counts on its own, and its limits still hold.
    const anonymous = nextAddress();
    const onA = await alternate([a], 6, (demo) => request(demo.http).get('/').set('X-Forwarded-For', anonymous));
    expect(onA).toEqual([200, 200, 200, 200, 429, 429]);
    const attacker = nextAddress();
    const onB = await alternate([b], 5, (demo) => request(demo.http).get('/orders').set('X-Forwarded-For', attacker).set('X-API-Key', generateApiKey('gh_live')));
    expect(onB).toEqual([401, 401, 401, 429, 429]);
    // Cached keys and sign-in keep answering, never with a 500.
    expect(await alternate([a, b], 4, (demo) => request(demo.http).get('/orders').set('X-Forwarded-For', nextAddress()).set('X-API-Key', key))).toEqual([200, 200, 200, 200]);
    const signIn = await request(a.http).post('/auth/token').set('X-Forwarded-For', nextAddress()).send({ email: 'nobody@example.com', password: PASSWORD });
    expect(signIn.status).toBe(401);
    for (const demo of [a, b]) {
      expect(demo.logs.some((line) => line.includes('security event rate_limit.degraded'))).toBe(true);
      expect(demo.logs.some((line) => line.includes('Rate-limit counters unreachable in Redis'))).toBe(true);
    }

    await redis.up();
    await eventually(async () => {
      await Promise.all([request(a.http).get('/').set('X-Forwarded-For', '192.0.2.250'), request(b.http).get('/').set('X-Forwarded-For', '192.0.2.250')]);
      return [a, b].every((demo) => !demo.app.get<RateLimitRedis>(GATEHOUSE_RATE_LIMIT_REDIS).degraded);
    }, 10_000);
    expect(a.logs.some((line) => line.includes('security event rate_limit.recovered'))).toBe(true);
    await expectGlobal();
  }, 30_000);
});
