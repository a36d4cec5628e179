// The extension points over the wire, on Express and on Fastify: a custom mechanism (HMAC webhook
// signature), a policy, optional authentication, any-of scopes, a third-party issuer's tokens and
// the OpenAPI document's security.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_EMAIL, EXAMPLE_PASSWORD, startExample } from '../../support/example-app.mjs';
import { startIdentityProvider } from '../../support/identity-provider.mjs';

const WEBHOOK_SECRET = createHmac('sha256', 'extend-example').update(String(process.pid)).digest('hex');

/** `X-Signature` for `body` as the partner `shop` computes it (`t` in unix seconds). */
const sign = (body, { t = Math.floor(Date.now() / 1000), secret = WEBHOOK_SECRET } = {}) =>
  `keyId=shop,t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

for (const adapter of ['express', 'fastify']) {
  describe(`extending gatehouse on ${adapter}`, () => {
    let app;
    let idp;
    let call;
    const bearer = (token) => ({ authorization: `Bearer ${token}` });

    before(async () => {
      idp = await startIdentityProvider();
      app = await startExample({ env: { ADAPTER: adapter, WEBHOOK_SECRET, ...idp.env } });
      call = async (method, path, { headers = {}, body } = {}) => {
        const response = await fetch(app.url + path, {
          method,
          headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
      };
    });
    after(async () => {
      await app?.stop();
      await idp?.stop();
    });

    const ownToken = async () => {
      const response = await call('POST', '/auth/token', { body: { email: EXAMPLE_EMAIL, password: EXAMPLE_PASSWORD } });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.access_token;
    };

    it(`runs on ${adapter}`, () => {
      assert.match(app.output(), new RegExp(`listening on \\S+ \\(${adapter}\\)`));
    });

    describe('a custom mechanism: the HMAC webhook signature', () => {
      const webhook = (body, signature, headers = {}) => call('POST', '/webhooks/orders', { headers: { 'x-signature': signature, ...headers }, body });

      it('accepts a good signature over the raw body', async () => {
        const body = JSON.stringify({ event: 'order.paid' });
        const response = await webhook(body, sign(body));
        assert.equal(response.status, 202, JSON.stringify(response.body));
        assert.deepEqual(response.body, { accepted: 'order.paid', from: { kind: 'service', subject: 'shop', mechanism: 'hmac', scopes: ['orders:write'] } });
      });

      it('refuses a wrong secret and a changed body: 401 signature_invalid with its challenge', async () => {
        const body = JSON.stringify({ event: 'order.paid' });
        const wrong = await webhook(body, sign(body, { secret: 'not the partner secret' }));
        assert.equal(wrong.status, 401);
        assert.equal(wrong.body.code, 'signature_invalid');
        assert.match(wrong.headers.get('www-authenticate'), /^Signature realm="[^"]+", error="signature_invalid"/);
        const changed = await webhook(JSON.stringify({ event: 'order.refunded' }), sign(body));
        assert.equal(changed.status, 401);
        assert.equal(changed.body.code, 'signature_invalid');
      });

      it('refuses a signature of the wrong shape like a wrong one: the same 401 and challenge', async () => {
        const body = JSON.stringify({ event: 'order.paid' });
        const garbage = await webhook(body, 'keyId=shop,t=1,v1=not-hex');
        const wrong = await webhook(body, sign(body, { secret: 'not the partner secret' }));
        assert.equal(garbage.status, 401);
        assert.deepEqual(garbage.body, wrong.body);
        assert.equal(garbage.headers.get('www-authenticate'), wrong.headers.get('www-authenticate'));
      });

      it('refuses a stale timestamp: 401 signature_expired', async () => {
        const body = JSON.stringify({ event: 'order.paid' });
        const response = await webhook(body, sign(body, { t: Math.floor(Date.now() / 1000) - 600 }));
        assert.equal(response.status, 401);
        assert.equal(response.body.code, 'signature_expired');
      });

      it('refuses a replay: 401 signature_replayed', async () => {
        const body = JSON.stringify({ event: 'order.shipped' });
        const signature = sign(body);
        assert.equal((await webhook(body, signature)).status, 202);
        const replay = await webhook(body, signature);
        assert.equal(replay.status, 401);
        assert.equal(replay.body.code, 'signature_replayed');
      });

      it('lets the signature win over an ambient session cookie, even an invalid one', async () => {
        const cookie = '__Host-session=not-a-session';
        const alone = await call('POST', '/webhooks/orders', { headers: { cookie }, body: { event: 'order.paid' } });
        assert.equal(alone.status, 401, 'the route reads the cookie when nothing else is sent');
        assert.equal(alone.body.code, 'invalid_session');
        const body = JSON.stringify({ event: 'order.cancelled' });
        const response = await webhook(body, sign(body), { cookie });
        assert.equal(response.status, 202, JSON.stringify(response.body));
        assert.equal(response.body.from.mechanism, 'hmac');
      });

      it('refuses no credential (401 credentials_missing), and ignores a signature where hmac is not accepted', async () => {
        const response = await call('POST', '/webhooks/orders', { body: { event: 'order.paid' } });
        assert.equal(response.status, 401);
        assert.equal(response.body.code, 'credentials_missing');
        const body = '';
        const reports = await call('GET', '/reports', { headers: { 'x-signature': sign(body) } });
        assert.equal(reports.status, 401);
        assert.equal(reports.body.code, 'credentials_missing');
      });
    });

    describe('a third-party issuer (Auth0-shaped tokens)', () => {
      it('accepts its token on a scoped route, scopes from `permissions`', async () => {
        const response = await call('GET', '/reports', { headers: bearer(idp.mint({ permissions: ['reports:read'] })) });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body.reader, { kind: 'user', subject: 'auth0|grace', mechanism: 'jwt', scopes: ['reports:read'] });
        assert.equal(response.body.issuer, idp.issuer);
      });

      it('refuses a token of an unknown issuer, signed by an unknown key, or with alg HS256: 401', async () => {
        const forged = [
          idp.mint({ iss: 'https://evil.example.com/', permissions: ['reports:read'] }),
          idp.mint({ permissions: ['reports:read'] }, { key: idp.strangerKey() }),
          idp.mint({ permissions: ['reports:read'] }, { alg: 'HS256' }),
          idp.mint({ aud: 'https://other-api.example.com', permissions: ['reports:read'] }),
        ];
        for (const token of forged) {
          const response = await call('GET', '/reports', { headers: bearer(token) });
          assert.equal(response.status, 401, JSON.stringify(response.body));
          assert.equal(response.body.code, 'invalid_token');
        }
      });
    });

    describe('any-of scopes', () => {
      it('accepts either scope, and refuses neither: 403 insufficient_scope', async () => {
        const admin = await call('GET', '/reports', { headers: bearer(idp.mint({ permissions: ['reports:admin'] })) });
        assert.equal(admin.status, 200, JSON.stringify(admin.body));
        const own = await call('GET', '/reports', { headers: bearer(await ownToken()) });
        assert.equal(own.status, 403);
        assert.equal(own.body.code, 'insufficient_scope');
        assert.equal(own.body.scope, 'reports:read reports:admin');
      });
    });

    describe('a policy', () => {
      it('allows a member of the organization (claims.org_id)', async () => {
        const response = await call('GET', '/billing', { headers: bearer(idp.mint({ org_id: 'org_acme' })) });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body, { plan: 'enterprise', member: 'auth0|grace', organization: 'org_acme' });
      });

      it('refuses anyone else with its own code: 403 organization_required', async () => {
        for (const token of [idp.mint({ org_id: 'org_other' }), idp.mint(), await ownToken()]) {
          const response = await call('GET', '/billing', { headers: bearer(token) });
          assert.equal(response.status, 403, JSON.stringify(response.body));
          assert.deepEqual(response.body, { statusCode: 403, code: 'organization_required', message: 'The route is open to members of the organization only.' });
        }
        const anonymous = await call('GET', '/billing');
        assert.equal(anonymous.status, 401);
      });
    });

    describe('optional authentication', () => {
      it('answers anonymously, names a valid credential, and refuses an invalid one', async () => {
        const anonymous = await call('GET', '/catalogue');
        assert.equal(anonymous.status, 200);
        assert.equal(anonymous.body.viewer, null);
        const own = await call('GET', '/catalogue', { headers: bearer(await ownToken()) });
        assert.equal(own.status, 200, JSON.stringify(own.body));
        assert.deepEqual([own.body.viewer.subject, own.body.viewer.mechanism], ['user-1', 'jwt']);
        const thirdParty = await call('GET', '/catalogue', { headers: bearer(idp.mint()) });
        assert.equal(thirdParty.body.viewer.subject, 'auth0|grace');
        const invalid = await call('GET', '/catalogue', { headers: bearer('eyJhbGciOiJSUzI1NiJ9.e30.c2ln') });
        assert.equal(invalid.status, 401);
        assert.equal(invalid.body.code, 'invalid_token');
      });
    });

    describe('the OpenAPI document', () => {
      it('carries the security the guard enforces', async () => {
        const { status, body: document } = await call('GET', '/docs-json');
        assert.equal(status, 200);
        const schemes = document.components.securitySchemes;
        const operation = (path, method) => document.paths[path][method];
        const names = (security) => security.map((requirement) => Object.keys(requirement).join('+')).sort();
        assert.deepEqual(operation('/health', 'get').security, []);
        assert.deepEqual(names(operation('/webhooks/orders', 'post').security), ['hmac', 'session']);
        assert.deepEqual(schemes.hmac, { type: 'http', scheme: 'Signature' });
        assert.deepEqual(names(operation('/reports', 'get').security), ['bearer', 'session']);
        assert.deepEqual(operation('/reports', 'get')['x-gatehouse'].anyScopes, ['reports:read', 'reports:admin']);
        assert.equal(schemes.bearer.scheme, 'bearer');
        assert.ok(names(operation('/catalogue', 'get').security).includes(''), 'an optional route also allows no credential');
        assert.deepEqual(operation('/billing', 'get')['x-gatehouse'].policies, ['OrganizationPolicy']);
      });
    });
  });
}
