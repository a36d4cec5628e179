import request from 'supertest';
import { DataSource } from 'typeorm';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { asBrowser, LOGIN_LIMITS, login, PASSWORD, registerUser, sessionCookieOf } from './session-helpers.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(ADAPTERS)('cookie sessions in the demo (%s)', (adapter) => {
  let demo: RunningDemo;
  let user: { email: string; id: string };

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: LOGIN_LIMITS });
    user = await registerUser(demo);
  });
  afterAll(() => demo.close());

  const http = () => request(demo.http);

  it('logs in with a __Host- cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, and a CSRF token', async () => {
    const response = await http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    expect(response.body).toEqual({ csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(response.headers['cache-control']).toBe('no-store');
    const lines = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const line = lines.find((l) => l.startsWith('__Host-session='));
    expect(line).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; Secure; SameSite=Lax$/);
    expect(line).not.toMatch(/domain=/i);
  });

  it('sets no cookie for wrong credentials', async () => {
    const response = await http().post('/auth/login').send({ email: user.email, password: 'wrong password!' }).expect(401);
    expect(response.body.code).toBe('invalid_credentials');
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  it('authenticates /me and /orders (read and write) with the cookie', async () => {
    const browser = await login(demo, user.email);
    const me = await http().get('/me').set('Cookie', browser.cookie).expect(200);
    expect(me.body).toMatchObject({ kind: 'user', subject: user.id, credential: { mechanism: 'session' } });
    expect(me.body.scopes).toEqual(expect.arrayContaining(['orders:read', 'orders:write']));
    await http().post('/orders').set(asBrowser(browser)).send({ item: 'tea', quantity: 2 }).expect(201);
    const orders = await http().get('/orders').set('Cookie', browser.cookie).expect(200);
    expect(orders.body).toEqual(expect.arrayContaining([expect.objectContaining({ item: 'tea', quantity: 2 })]));
  });

  it('GET /auth/csrf returns the token login returned', async () => {
    const browser = await login(demo, user.email);
    const response = await http().get('/auth/csrf').set('Cookie', browser.cookie).expect(200);
    expect(response.body).toEqual({ csrfToken: browser.csrfToken });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('takes the own origin from Host and protocol when no public origin is configured', async () => {
    const browser = await login(demo, user.email);
    await http().post('/orders').set({ ...asBrowser(browser), Origin: demo.url }).send({ item: 'own', quantity: 1 }).expect(201);
    const port = new URL(demo.url).port;
    for (const origin of [`http://localhost:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`, 'http://127.0.0.1']) {
      const response = await http().post('/orders').set({ ...asBrowser(browser), Origin: origin }).send({ item: 'x', quantity: 1 });
      expect([origin, response.status, response.body.code]).toEqual([origin, 403, 'cross_site_request']);
    }
  });

  describe('fixation', () => {
    it('never adopts or authenticates a planted cookie', async () => {
      const planted = `__Host-session=${'P'.repeat(43)}`;
      await http().get('/me').set('Cookie', planted).expect(401);
      const browser = await login(demo, user.email, PASSWORD, planted);
      expect(browser.cookie).not.toBe(planted);
      await http().get('/me').set('Cookie', planted).expect(401);
      await http().get('/me').set('Cookie', browser.cookie).expect(200);
    });

    it('destroys a valid session cookie sent with login', async () => {
      const before = await login(demo, user.email);
      await http().get('/me').set('Cookie', before.cookie).expect(200);
      const after = await login(demo, user.email, PASSWORD, before.cookie);
      expect(after.secret).not.toBe(before.secret);
      const replay = await http().get('/me').set('Cookie', before.cookie).expect(401);
      expect(replay.body.code).toBe('invalid_session');
    });

    it('ignores a session id in the URL', async () => {
      const browser = await login(demo, user.email);
      await http().get(`/me?session=${browser.secret}&sid=${browser.secret}`).expect(401);
      await http().get(`/me;jsessionid=${browser.secret}`).expect((response) => expect([401, 404]).toContain(response.status));
    });
  });

  it('logs out: 204, cookie cleared, the session dead server-side', async () => {
    const browser = await login(demo, user.email);
    const noToken = await http().post('/auth/logout').set('Cookie', browser.cookie).expect(403);
    expect(noToken.body.code).toBe('csrf_token_invalid');
    const response = await http().post('/auth/logout').set(asBrowser(browser)).expect(204);
    expect(([] as string[]).concat(response.headers['set-cookie'] ?? [])).toContainEqual(expect.stringMatching(/^__Host-session=; Path=\/; Max-Age=0;/));
    const replay = await http().get('/me').set('Cookie', browser.cookie).expect(401);
    expect(replay.body.code).toBe('invalid_session');
    await http().post('/auth/logout').set(asBrowser(browser)).expect(401);
  });

  it.each([
    ['empty', '__Host-session='],
    ['short', '__Host-session=abc'],
    ['wrong alphabet', `__Host-session=${'!'.repeat(43)}`],
    ['padded base64', `__Host-session=${'A'.repeat(42)}=`],
    ['huge', `__Host-session=${'A'.repeat(3000)}`],
    ['percent-encoded NUL', `__Host-session=${'%00'.repeat(15)}`],
    ['quoted', `__Host-session="${'A'.repeat(43)}"`],
    ['JSON', '__Host-session={"$ne":null}'],
    ['SQL', "__Host-session=' OR '1'='1"],
    ['duplicated', `__Host-session=${'A'.repeat(43)}; __Host-session=${'B'.repeat(43)}`],
  ])('answers a %s cookie with 401, never 500', async (_name, cookie) => {
    for (const call of [http().get('/me'), http().post('/orders').send({ item: 'x', quantity: 1 }), http().get('/auth/sessions')]) {
      const response = await call.set('Cookie', cookie);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('invalid_session');
    }
  });

  it('stores no plaintext session id or CSRF token in the database', async () => {
    const browser = await login(demo, user.email);
    const rows: Array<Record<string, unknown>> = await demo.app.get(DataSource).query('SELECT * FROM sessions');
    expect(rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(browser.secret);
    expect(dump).not.toContain(browser.csrfToken);
    expect(dump).not.toContain(Buffer.from(browser.secret, 'base64url').toString('hex'));
    expect(rows.every((row) => typeof row.token_hash === 'string' && /^[0-9a-f]{64}$/.test(row.token_hash as string))).toBe(true);
  });

  describe('expiry (frozen clock)', () => {
    it('ends a session idle for 3 days', async () => {
      const browser = await login(demo, user.email);
      demo.clock.advance(3 * DAY - MINUTE);
      await http().get('/me').set('Cookie', browser.cookie).expect(200);
      demo.clock.advance(3 * DAY);
      const response = await http().get('/me').set('Cookie', browser.cookie).expect(401);
      expect(response.body.code).toBe('session_expired');
      await http().get('/me').set('Cookie', browser.cookie).expect(401);
    });

    it('slides with use, but ends 7 days after login however active', async () => {
      const browser = await login(demo, user.email);
      for (let day = 1; day <= 6; day++) {
        demo.clock.advance(DAY);
        await http().get('/me').set('Cookie', browser.cookie).expect(200);
      }
      demo.clock.advance(DAY - MINUTE);
      await http().get('/me').set('Cookie', browser.cookie).expect(200);
      demo.clock.advance(MINUTE);
      const response = await http().get('/me').set('Cookie', browser.cookie).expect(401);
      expect(response.body.code).toBe('session_expired');
    });
  });

  describe('concurrent-session cap (10)', () => {
    it('evicts the oldest session on the 11th login', async () => {
      const capped = await registerUser(demo, 'cap');
      const browsers = [];
      for (let i = 0; i < 11; i++) {
        browsers.push(await login(demo, capped.email));
        demo.clock.advance(1000);
      }
      const first = await http().get('/me').set('Cookie', browsers[0]!.cookie).expect(401);
      expect(first.body.code).toBe('invalid_session');
      for (const browser of browsers.slice(1)) await http().get('/me').set('Cookie', browser.cookie).expect(200);
      const list = await http().get('/auth/sessions').set('Cookie', browsers[10]!.cookie).expect(200);
      expect(list.body.filter((entry: { type: string }) => entry.type === 'session')).toHaveLength(10);
    });

    it('never exceeds the cap under parallel logins', async () => {
      const racing = await registerUser(demo, 'race');
      await Promise.all(Array.from({ length: 14 }, () => login(demo, racing.email)));
      const rows: Array<{ n: number | string }> = await demo.app
        .get(DataSource)
        .query(demo.database.kind === 'postgres' ? 'SELECT count(*) AS n FROM sessions WHERE subject = $1' : 'SELECT count(*) AS n FROM sessions WHERE subject = ?', [racing.id]);
      expect(Number(rows[0]!.n)).toBeLessThanOrEqual(10);
    });
  });
});
