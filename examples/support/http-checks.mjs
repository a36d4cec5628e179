// The checks every HTTP example passes over the wire: no credential → 401; a bearer token, a
// session cookie and an API key → 200; a missing scope → 403. Registers node:test tests.
//
//   import { httpChecks } from '../../support/http-checks.mjs';
//   httpChecks();                                   // starts the built app, runs the checks, stops it
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_EMAIL, EXAMPLE_PASSWORD, startExample } from './example-app.mjs';

const json = { 'content-type': 'application/json' };

export function httpChecks(options = {}) {
  describe('gatehouse over HTTP', () => {
    let app;
    let call;
    before(async () => {
      app = await startExample(options);
      call = async (method, path, { headers = {}, body } = {}) => {
        const response = await fetch(app.url + path, {
          method,
          headers: body === undefined ? headers : { ...json, ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
      };
    });
    after(async () => {
      await app?.stop();
    });

    const token = async () => {
      const response = await call('POST', '/auth/token', { body: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.access_token;
    };

    it('answers a public route without a credential', async () => {
      const response = await call('GET', '/health');
      assert.equal(response.status, 200);
    });

    it('refuses a protected route without a credential: 401 credentials_missing', async () => {
      const response = await call('GET', '/me');
      assert.equal(response.status, 401);
      assert.equal(response.body.code, 'credentials_missing');
    });

    it('refuses a wrong password and a forged bearer token: 401', async () => {
      const signIn = await call('POST', '/auth/token', { body: { email: EXAMPLE_EMAIL, password: 'wrong password' } });
      assert.equal(signIn.status, 401);
      assert.equal(signIn.body.code, 'invalid_credentials');
      const forged = await call('GET', '/me', { headers: { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln' } });
      assert.equal(forged.status, 401);
      assert.equal(forged.body.code, 'invalid_token');
    });

    it('accepts a bearer access token: 200', async () => {
      const response = await call('GET', '/me', { headers: { authorization: `Bearer ${await token()}` } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual([response.body.kind, response.body.subject, response.body.mechanism], ['user', 'user-1', 'jwt']);
    });

    it('accepts a session cookie: 200', async () => {
      const login = await call('POST', '/auth/login', { body: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD } });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      const setCookie = login.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-session='));
      assert.ok(setCookie, 'login sets the __Host-session cookie');
      assert.match(setCookie, /HttpOnly/i);
      const response = await call('GET', '/me', { headers: { cookie: setCookie.split(';')[0] } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual([response.body.subject, response.body.mechanism], ['user-1', 'session']);
    });

    it('accepts an API key on its scope (200) and refuses it beyond (403 insufficient_scope)', async () => {
      const created = await call('POST', '/api-keys', {
        headers: { authorization: `Bearer ${await token()}` },
        body: { name: 'reporting', scopes: ['orders:read'] },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const key = created.body.key;
      const read = await call('GET', '/orders', { headers: { 'x-api-key': key } });
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.deepEqual(read.body, []);
      const write = await call('POST', '/orders', { headers: { 'x-api-key': key }, body: { item: 'widget' } });
      assert.equal(write.status, 403);
      assert.equal(write.body.code, 'insufficient_scope');
      const wrong = await call('GET', '/orders', { headers: { 'x-api-key': `${key.slice(0, -4)}AAAA` } });
      assert.equal(wrong.status, 401);
    });

    it('lets a token with the scope write: 201', async () => {
      const response = await call('POST', '/orders', { headers: { authorization: `Bearer ${await token()}` }, body: { item: 'widget' } });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.deepEqual(response.body, { owner: 'user-1', item: 'widget' });
    });
  });
}
