import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, PASSWORD, signUp } from '../api-keys/api-key-helpers.js';

/** Sends `count` requests and returns their statuses. */
async function statuses(count: number, send: () => request.Test): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await send()).status);
  return seen;
}

describe.each(ADAPTERS)('rate limits per principal (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, {
      env: {
        API_KEY_RATE_LIMIT: '5/60',
        USER_RATE_LIMIT: '6/60',
        ANONYMOUS_RATE_LIMIT: '1000/60',
        LOGIN_RATE_LIMIT_IP: '1000/60',
        LOGIN_RATE_LIMIT_ACCOUNT: '1000/60',
        LOGIN_RATE_LIMIT_ACCOUNT_IP: '1000/60',
      },
    });
  }, 30_000);
  afterAll(async () => {
    await demo?.close();
  }, 30_000);

  it('counts service tokens exchanged from a key against that key: swapping the key for a token buys nothing', async () => {
    const owner = await signUp(demo, 'svc');
    const { key } = await createKey(demo, owner, { scopes: ['orders:read'] });
    // The exchange is a public route: it counts against the caller's address, not the key.
    const exchange = await request(demo.http).post('/oauth/token').type('form').set('X-API-Key', key).send({ grant_type: 'client_credentials' }).expect(200);
    const token = exchange.body.access_token as string;
    await request(demo.http).get('/orders').set('X-API-Key', key).expect(200);
    const seen = await statuses(8, () => request(demo.http).get('/orders').set('Authorization', `Bearer ${token}`));
    expect(seen).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    // The key itself is out of budget too: one bucket.
    const limited = await request(demo.http).get('/orders').set('X-API-Key', key).expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.headers['ratelimit-policy']).toBe('"api-key";q=5;w=60');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('limits a user across every token and session they hold, with RateLimit headers on each answer', async () => {
    const owner = await signUp(demo, 'user');
    const token = await request(demo.http).post('/auth/token').send({ email: owner.email, password: PASSWORD }).expect(200);
    const bearer = { Authorization: `Bearer ${token.body.access_token as string}` };
    const first = await request(demo.http).get('/orders').set(bearer).expect(200);
    expect(first.headers['ratelimit-policy']).toBe('"user";q=6;w=60');
    expect(first.headers.ratelimit).toMatch(/^"user";r=5;t=\d+$/);
    const mixed: number[] = [];
    for (let i = 0; i < 6; i++) {
      const call = request(demo.http).get('/orders');
      mixed.push((await (i % 2 === 0 ? call.set({ Cookie: owner.headers.Cookie }) : call.set(bearer))).status);
    }
    expect(mixed).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await request(demo.http).get('/orders').set({ Cookie: owner.headers.Cookie }).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.headers.ratelimit).toMatch(/^"user";r=0;t=\d+$/);
    // Another user is untouched.
    const other = await signUp(demo, 'other');
    await request(demo.http).get('/orders').set({ Cookie: other.headers.Cookie }).expect(200);
  });
});
