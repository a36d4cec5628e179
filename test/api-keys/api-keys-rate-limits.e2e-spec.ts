import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, signUp } from './api-key-helpers.js';

describe.each(ADAPTERS)('API keys: rate limits (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, {
      env: { API_KEY_RATE_LIMIT: '3/60', ANONYMOUS_RATE_LIMIT: '20/60', LOGIN_RATE_LIMIT_IP: '1000/60', LOGIN_RATE_LIMIT_ACCOUNT: '1000/60' },
    });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('limits each key to its own budget, across routes, with a coded 429', async () => {
    const owner = await signUp(demo);
    const first = await createKey(demo, owner, { name: 'first' });
    const second = await createKey(demo, owner, { name: 'second' });
    await request(demo.http).get('/me').set('X-API-Key', first.key).expect(200);
    await request(demo.http).get('/orders').set('X-API-Key', first.key).expect(200);
    await request(demo.http).get('/me').set('X-API-Key', first.key).expect(200);
    const limited = await request(demo.http).get('/orders').set('X-API-Key', first.key).expect(429);
    expect(limited.body).toEqual({ statusCode: 429, code: 'rate_limited', message: 'Too many requests.' });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.headers['ratelimit-policy']).toBe('"api-key";q=3;w=60');
    expect(limited.headers.ratelimit).toMatch(/^"api-key";r=0;t=\d+$/);
    // The owner's other key, and the owner's session, are untouched by the exhausted key.
    for (let i = 0; i < 3; i++) await request(demo.http).get('/me').set('X-API-Key', second.key).expect(200);
    await request(demo.http).get('/api-keys').set({ Cookie: owner.headers.Cookie }).expect(200);
    await request(demo.http).get('/me').set('X-API-Key', second.key).expect(429);
  });

  it('limits requests without a credential per client address, apart from authenticated ones', async () => {
    const owner = await signUp(demo, 'anon');
    const { key } = await createKey(demo, owner);
    // signUp made two anonymous calls (register, login); spend the rest of the budget of 20.
    let status = 200;
    let spent = 0;
    while (status === 200 && spent < 25) {
      status = (await request(demo.http).get('/')).status;
      spent++;
    }
    expect(status).toBe(429);
    const limited = await request(demo.http).get('/health').expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.headers['ratelimit-policy']).toBe('"anonymous";q=20;w=60');
    await request(demo.http).get('/me').set('X-API-Key', key).expect(200);
  });
});
