import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ManualClock } from '@gatehouse/core';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, signUp } from './api-key-helpers.js';

// Shared limits and cross-instance revocation need the shared store: run with REDIS_URL (npm run test:services).
const withRedis = process.env.REDIS_URL ? describe.each(ADAPTERS) : describe.skip.each(ADAPTERS);

/** Polls a cross-instance effect (pub/sub delivery), bounded; never used for time-based expiry. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

withRedis('API keys: two instances sharing Redis (%s)', (adapter) => {
  let a: RunningDemo;
  let b: RunningDemo;

  beforeAll(async () => {
    const env = { API_KEY_RATE_LIMIT: '4/60', ANONYMOUS_RATE_LIMIT: '1000/60', LOGIN_RATE_LIMIT_IP: '1000/60', LOGIN_RATE_LIMIT_ACCOUNT: '1000/60' };
    const redisKeyPrefix = `gatehouse-test-${randomBytes(6).toString('hex')}:`;
    const clock = new ManualClock();
    a = await startDemo(adapter, { env, redisKeyPrefix, clock });
    b = await startDemo(adapter, { env, redisKeyPrefix, clock, database: a.database });
  });
  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
  });

  it('see one per-key limit', async () => {
    const { key } = await createKey(a, await signUp(a));
    await request(a.http).get('/me').set('X-API-Key', key).expect(200);
    await request(b.http).get('/me').set('X-API-Key', key).expect(200);
    await request(a.http).get('/me').set('X-API-Key', key).expect(200);
    await request(b.http).get('/me').set('X-API-Key', key).expect(200);
    await request(a.http).get('/me').set('X-API-Key', key).expect(429);
    await request(b.http).get('/me').set('X-API-Key', key).expect(429);
  });

  it('see one revocation: a key cached on both is refused by both at once', async () => {
    const owner = await signUp(a, 'revoker');
    const { id, key } = await createKey(a, owner);
    await request(a.http).get('/me').set('X-API-Key', key).expect(200);
    await request(b.http).get('/me').set('X-API-Key', key).expect(200);
    await request(a.http).delete(`/api-keys/${id}`).set(owner.headers).expect(204);
    await request(a.http).get('/me').set('X-API-Key', key).expect(401);
    await eventually(async () => (await request(b.http).get('/me').set('X-API-Key', key)).status === 401);
  });

  it('see a rotation: the old key grace ends on both', async () => {
    const owner = await signUp(a, 'rotator');
    const { id, key } = await createKey(a, owner);
    await request(b.http).get('/me').set('X-API-Key', key).expect(200);
    const rotated = await request(a.http).post(`/api-keys/${id}/rotate`).set(owner.headers).send({ gracePeriodSeconds: 0 }).expect(201);
    await eventually(async () => (await request(b.http).get('/me').set('X-API-Key', key)).status === 401);
    await request(b.http).get('/me').set('X-API-Key', rotated.body.key).expect(200);
  });
});
