import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, startSibling, type RunningDemo } from '../support/demo.js';
import { asBrowser, eventually, LOGIN_LIMITS, login, registerUser } from './session-helpers.js';

// Two app instances on one database and one Redis: a session ended on one instance is refused by
// the other at once, although the other had it cached.
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

withRedis.each(ADAPTERS)('sessions across two instances sharing Redis (%s)', (adapter) => {
  let a: RunningDemo;
  let b: RunningDemo;

  beforeAll(async () => {
    a = await startDemo(adapter, { env: LOGIN_LIMITS });
    b = await startSibling(a, LOGIN_LIMITS);
  });
  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
  });

  const stillServed = async (instance: RunningDemo, cookie: string): Promise<boolean> =>
    (await request(instance.http).get('/me').set('Cookie', cookie)).status === 200;

  it('refuses on B a session logged out on A, while B had it cached', async () => {
    const user = await registerUser(a);
    const browser = await login(a, user.email);
    await request(b.http).get('/me').set('Cookie', browser.cookie).expect(200);
    await request(a.http).post('/auth/logout').set(asBrowser(browser)).expect(204);
    await eventually(async () => !(await stillServed(b, browser.cookie)), 1_000);
    const response = await request(b.http).get('/me').set('Cookie', browser.cookie).expect(401);
    expect(response.body.code).toBe('invalid_session');
  });

  it('refuses on A a session revoked from B’s device list', async () => {
    const user = await registerUser(a);
    const target = await login(a, user.email);
    const manager = await login(b, user.email);
    await request(a.http).get('/me').set('Cookie', target.cookie).expect(200);
    const entries = (await request(b.http).get('/auth/sessions').set('Cookie', manager.cookie).expect(200)).body as Array<{ id: string; current: boolean }>;
    const targetId = entries.find((entry) => !entry.current)!.id;
    await request(b.http).delete(`/auth/sessions/${targetId}`).set(asBrowser(manager)).expect(204);
    await eventually(async () => !(await stillServed(a, target.cookie)), 1_000);
    await request(a.http).get('/me').set('Cookie', manager.cookie).expect(200);
  });

  it('accepts on B a session created on A, with its CSRF token', async () => {
    const user = await registerUser(a);
    const browser = await login(a, user.email);
    await request(b.http).post('/orders').set(asBrowser(browser)).send({ item: 'shared', quantity: 1 }).expect(201);
  });
});
