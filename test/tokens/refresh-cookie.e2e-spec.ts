import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { LOGIN_LIMITS, me, PASSWORD, registerUser, setCookie } from './token-helpers.js';

const COOKIE = '__Secure-refresh_token';

describe.each(ADAPTERS)('refresh token in an HttpOnly cookie for web clients (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: LOGIN_LIMITS });
  });
  afterAll(async () => {
    await demo?.close();
  });

  const sameOrigin = { 'Sec-Fetch-Site': 'same-origin' };

  /** Signs in from the app's own page asking for cookie delivery; returns the `name=value` cookie pair and the body. */
  async function webSignIn(): Promise<{ cookie: string; body: Record<string, unknown> }> {
    const user = await registerUser(demo);
    const response = await request(demo.http).post('/auth/token').set(sameOrigin).send({ email: user.email, password: PASSWORD, delivery: 'cookie' }).expect(200);
    const line = setCookie(response, COOKIE);
    if (!line) throw new Error('no refresh cookie');
    return { cookie: line.split(';', 1)[0] as string, body: response.body };
  }

  it('sets an HttpOnly, Secure, SameSite=Strict __Secure- cookie scoped to the refresh path, and leaves the token out of the body', async () => {
    const user = await registerUser(demo);
    const response = await request(demo.http).post('/auth/token').set(sameOrigin).send({ email: user.email, password: PASSWORD, delivery: 'cookie' }).expect(200);
    const line = setCookie(response, COOKIE) as string;
    expect(line).toMatch(/^__Secure-refresh_token=[\w-]{43}; Path=\/auth\/refresh; Max-Age=1209600; HttpOnly; Secure; SameSite=Strict$/);
    expect(response.body.refresh_token).toBeUndefined();
    await me(demo, response.body.access_token).expect(200);
  });

  it('refreshes from the cookie on a same-origin request and rotates the cookie', async () => {
    const { cookie } = await webSignIn();
    const response = await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set(sameOrigin).send({}).expect(200);
    const next = setCookie(response, COOKIE) as string;
    expect(next.split(';', 1)[0]).not.toBe(cookie);
    expect(response.body.refresh_token).toBeUndefined();
    expect(response.headers.vary).toMatch(/Sec-Fetch-Site/);
    await me(demo, response.body.access_token).expect(200);
  });

  it('accepts the own origin in Origin when Fetch Metadata is absent', async () => {
    const { cookie } = await webSignIn();
    await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set('Origin', demo.url).send({}).expect(200);
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.127.0.0.1.nip.io' }],
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['a look-alike Origin', { Origin: 'http://127.0.0.1.evil.example' }],
    ['Origin: null', { Origin: 'null' }],
    ['no origin headers at all', {}],
  ])('refuses a cookie refresh with %s (CSRF): 403, and the cookie stays valid', async (_name, headers) => {
    const { cookie } = await webSignIn();
    const response = await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set(headers).send({}).expect(403);
    expect(response.body.code).toBe('cross_site_request');
    await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set(sameOrigin).send({}).expect(200);
  });

  it('refuses two refresh cookies (one planted by a sibling host)', async () => {
    const { cookie } = await webSignIn();
    const response = await request(demo.http)
      .post('/auth/refresh')
      .set('Cookie', `${COOKIE}=${'A'.repeat(43)}; ${cookie}`)
      .set(sameOrigin)
      .send({})
      .expect(400);
    expect(response.body.code).toBe('invalid_grant');
  });

  it('deletes the cookie when its family is dead', async () => {
    const { cookie } = await webSignIn();
    await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set(sameOrigin).send({}).expect(200);
    demo.clock.advance(3_000);
    const reuse = await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set(sameOrigin).send({}).expect(400);
    expect(reuse.body.code).toBe('refresh_token_reused');
    expect(setCookie(reuse, COOKIE)).toMatch(/^__Secure-refresh_token=; Path=\/auth\/refresh; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('signs a web client out with POST /auth/refresh/revoke: family revoked, cookie deleted', async () => {
    const { cookie, body } = await webSignIn();
    const evil = await request(demo.http).post('/auth/refresh/revoke').set('Cookie', cookie).set('Origin', 'https://evil.example').expect(403);
    expect(evil.body.code).toBe('cross_site_request');
    const response = await request(demo.http).post('/auth/refresh/revoke').set('Cookie', cookie).set(sameOrigin).expect(204);
    expect(setCookie(response, COOKIE)).toMatch(/Max-Age=0/);
    expect((await me(demo, body.access_token as string).expect(401)).body.code).toBe('token_revoked');
    expect((await request(demo.http).post('/auth/refresh').set('Cookie', cookie).set(sameOrigin).send({}).expect(400)).body.code).toBe('invalid_grant');
  });

  it('lets a body client opt in to the cookie on refresh', async () => {
    const user = await registerUser(demo);
    const first = await request(demo.http).post('/auth/token').send({ email: user.email, password: PASSWORD }).expect(200);
    const response = await request(demo.http).post('/auth/refresh').set(sameOrigin).send({ refresh_token: first.body.refresh_token, delivery: 'cookie' }).expect(200);
    expect(setCookie(response, COOKIE)).toBeDefined();
    expect(response.body.refresh_token).toBeUndefined();
  });

  it('refuses a cross-site sign-out even without a cookie (it would delete the victim\'s)', async () => {
    const response = await request(demo.http).post('/auth/refresh/revoke').set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }).expect(403);
    expect(setCookie(response, COOKIE)).toBeUndefined();
    expect(response.body).toMatchObject({ code: 'cross_site_request', error: 'invalid_request' });
  });

  describe('login CSRF: a cross-site form cannot plant the attacker\'s sign-in in the victim\'s browser', () => {
    it.each([
      ['a cross-site form post', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }],
      ['a same-site sibling', { 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.127.0.0.1.nip.io' }],
      ['a foreign Origin without Fetch Metadata', { Origin: 'https://evil.example' }],
      ['a foreign Referer only', { Referer: 'https://evil.example/form.html' }],
      ['no origin headers at all', {}],
    ])('refuses cookie delivery on sign-in from %s: 403 in RFC 6749 §5.2 form, no cookie set, password not even checked', async (_name, headers) => {
      const attacker = await registerUser(demo);
      const response = await request(demo.http)
        .post('/auth/token')
        .type('form')
        .set(headers)
        .send({ email: attacker.email, password: PASSWORD, delivery: 'cookie' })
        .expect(403);
      expect(response.body).toMatchObject({ code: 'cross_site_request', error: 'invalid_request', error_description: expect.any(String) });
      expect(setCookie(response, COOKIE)).toBeUndefined();
      expect(response.headers.vary).toMatch(/Sec-Fetch-Site/);
    });

    it('refuses a cross-site refresh that asks for cookie delivery with a body token (it would plant the cookie)', async () => {
      const user = await registerUser(demo);
      const first = await request(demo.http).post('/auth/token').send({ email: user.email, password: PASSWORD }).expect(200);
      const response = await request(demo.http)
        .post('/auth/refresh')
        .type('form')
        .set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' })
        .send({ refresh_token: first.body.refresh_token, delivery: 'cookie' })
        .expect(403);
      expect(response.body).toMatchObject({ code: 'cross_site_request', error: 'invalid_request' });
      expect(setCookie(response, COOKIE)).toBeUndefined();
      // Nothing was spent: the token still refreshes.
      await request(demo.http).post('/auth/refresh').send({ refresh_token: first.body.refresh_token }).expect(200);
    });

    it('still signs a body client in without origin headers (no ambient credential is set)', async () => {
      const user = await registerUser(demo);
      const response = await request(demo.http).post('/auth/token').send({ email: user.email, password: PASSWORD }).expect(200);
      expect(setCookie(response, COOKIE)).toBeUndefined();
    });
  });
});
