import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { asBrowser, issueTokens, LOGIN_LIMITS, login, registerUser, type Browser } from './session-helpers.js';

const ORIGIN = 'https://app.example.com';
const ORDER = { item: 'forged', quantity: 1 };

describe.each(ADAPTERS)('CSRF protection of cookie sessions (%s)', (adapter) => {
  let demo: RunningDemo;
  let user: { email: string; id: string };
  let browser: Browser;

  beforeAll(async () => {
    // The demo's public origin, as behind a proxy: only it may send cookie-authenticated writes.
    demo = await startDemo(adapter, { env: { ...LOGIN_LIMITS, PUBLIC_ORIGIN: ORIGIN } });
    user = await registerUser(demo);
    browser = await login(demo, user.email);
  });
  afterAll(() => demo.close());

  const http = () => request(demo.http);
  const orderCount = async (): Promise<number> => (await http().get('/orders').set('Cookie', browser.cookie).expect(200)).body.length;

  /** Posts an order with the cookie, expects a refusal with `status`/`code`, and checks nothing was created. */
  async function refused(headers: Record<string, string>, status: number, code: string, path = '/orders'): Promise<request.Response> {
    const before = await orderCount();
    const response = await http().post(path).set({ Cookie: browser.cookie, ...headers }).send(ORDER);
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(await orderCount()).toBe(before);
    return response;
  }

  it('accepts a same-origin JSON write with the token', async () => {
    const response = await http().post('/orders').set({ ...asBrowser(browser), 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN }).send(ORDER).expect(201);
    expect(response.headers.vary).toMatch(/Sec-Fetch-Site/);
    expect(response.headers.vary).toMatch(/Origin/);
  });

  it('refuses a write without the token', async () => {
    const response = await refused({}, 403, 'csrf_token_invalid');
    expect(response.headers.vary).toMatch(/Sec-Fetch-Site, Origin/);
  });

  it('refuses a wrong token and another session’s token', async () => {
    await refused({ 'X-CSRF-Token': 'A'.repeat(43) }, 403, 'csrf_token_invalid');
    await refused({ 'X-CSRF-Token': browser.secret }, 403, 'csrf_token_invalid');
    const other = await login(demo, (await registerUser(demo, 'other')).email);
    await refused({ 'X-CSRF-Token': other.csrfToken }, 403, 'csrf_token_invalid');
    const mine = await login(demo, user.email);
    await refused({ 'X-CSRF-Token': mine.csrfToken }, 403, 'csrf_token_invalid');
  });

  it('ignores a token in the query string or the body', async () => {
    await refused({}, 403, 'csrf_token_invalid', `/orders?csrfToken=${browser.csrfToken}&x-csrf-token=${browser.csrfToken}&_csrf=${browser.csrfToken}`);
    const before = await orderCount();
    const response = await http().post('/orders').set('Cookie', browser.cookie).send({ ...ORDER, csrfToken: browser.csrfToken });
    expect(response.status).toBe(403);
    expect(await orderCount()).toBe(before);
  });

  it('refuses Sec-Fetch-Site: cross-site even with a valid token', async () => {
    await refused({ ...asBrowser(browser), 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }, 403, 'cross_site_request');
  });

  it('refuses Sec-Fetch-Site: same-site (sibling subdomains are not trusted)', async () => {
    await refused({ ...asBrowser(browser), 'Sec-Fetch-Site': 'same-site', Origin: 'https://blog.example.com' }, 403, 'cross_site_request');
  });

  it.each([
    'https://evil.example',
    'https://app.example.com.attacker.com',
    'https://app.example.comevil.com',
    'https://evil.app.example.com',
    'http://app.example.com',
    'https://app.example.com:8443',
    'null',
  ])('refuses the foreign origin %s (no Fetch Metadata)', async (origin) => {
    await refused({ ...asBrowser(browser), Origin: origin }, 403, 'cross_site_request');
  });

  it('falls back to the Referer origin when Origin is absent', async () => {
    await refused({ ...asBrowser(browser), Referer: 'https://app.example.com.attacker.com/page' }, 403, 'cross_site_request');
    await http().post('/orders').set({ ...asBrowser(browser), Referer: `${ORIGIN}/orders/new` }).send(ORDER).expect(201);
  });

  it('accepts the exact configured origin', async () => {
    await http().post('/orders').set({ ...asBrowser(browser), Origin: ORIGIN }).send(ORDER).expect(201);
  });

  it('lets a request with no origin headers through only with the token (non-browser client)', async () => {
    await refused({}, 403, 'csrf_token_invalid');
    await http().post('/orders').set(asBrowser(browser)).send(ORDER).expect(201);
  });

  it('refuses form and text/plain bodies, even same-origin with the token', async () => {
    const before = await orderCount();
    const form = await http()
      .post('/orders')
      .set({ ...asBrowser(browser), Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' })
      .send('item=forged&quantity=1');
    expect([form.status, form.body.code]).toEqual([415, 'unsupported_media_type']);
    const smuggled = await http()
      .post('/orders')
      .set({ ...asBrowser(browser), Origin: ORIGIN, 'Content-Type': 'text/plain' })
      .send('{"item":"forged","quantity":1,"padding":"=x"}');
    expect([smuggled.status, smuggled.body.code]).toEqual([415, 'unsupported_media_type']);
    expect(await orderCount()).toBe(before);
  });

  it('refuses a cross-site form post without the token', async () => {
    const before = await orderCount();
    const response = await http()
      .post('/orders')
      .set({ Cookie: browser.cookie, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/x-www-form-urlencoded' })
      .send('item=forged&quantity=1');
    // Express reaches the origin check (403); Fastify has no form parser and refuses the body first (415).
    expect([403, 415]).toContain(response.status);
    expect(['cross_site_request', 'unsupported_media_type']).toContain(response.body.code);
    expect(await orderCount()).toBe(before);
  });

  it('protects logout, revocation and password change the same way', async () => {
    const victim = await login(demo, user.email);
    for (const [method, path] of [
      ['post', '/auth/logout'],
      ['post', '/auth/sessions/revoke-others'],
      ['post', '/auth/password'],
    ] as const) {
      const response = await http()[method](path).set({ Cookie: victim.cookie, Origin: 'https://evil.example' });
      expect([path, response.status, response.body.code]).toEqual([path, 403, 'cross_site_request']);
    }
    await http().get('/me').set('Cookie', victim.cookie).expect(200);
  });

  it('refuses a cross-site login (login CSRF) and a form-encoded one', async () => {
    const cross = await http().post('/auth/login').set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }).send({ email: user.email, password: 'x' });
    expect([cross.status, cross.body.code]).toEqual([403, 'cross_site_request']);
    const form = await http().post('/auth/login').set('Content-Type', 'application/x-www-form-urlencoded').send(`email=${encodeURIComponent(user.email)}&password=x`);
    expect(form.status).toBe(415);
  });

  it('needs no CSRF token for a bearer token, even with the cookie present', async () => {
    const { accessToken } = await issueTokens(demo, user.email);
    await http().post('/orders').set({ Authorization: `Bearer ${accessToken}`, Cookie: browser.cookie }).send(ORDER).expect(201);
    await http().post('/orders').set({ Authorization: `Bearer ${accessToken}`, Origin: 'https://evil.example' }).send(ORDER).expect(201);
  });
});
