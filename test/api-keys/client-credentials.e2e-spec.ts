import request from 'supertest';
import { decodeJwt } from 'jose';
import { ServiceTokenClient, ServiceTokenError } from '@gatehouse/api-keys';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, ROOMY_LIMITS, signUp, type SignedInUser } from './api-key-helpers.js';

const ORDERS_API = 'urn:gatehouse:demo:orders-api';
const BILLING_API = 'urn:gatehouse:demo:billing-api';

describe.each(ADAPTERS)('client credentials: POST /oauth/token (%s)', (adapter) => {
  let demo: RunningDemo;
  let owner: SignedInUser;
  let key: string;
  let keyId: string;

  const token = (form: Record<string, string> | string, apiKey: string | null = key) => {
    const call = request(demo.http).post('/oauth/token').type('form');
    if (apiKey !== null) call.set('X-API-Key', apiKey);
    return call.send(form);
  };

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
    owner = await signUp(demo);
    ({ key, id: keyId } = await createKey(demo, owner, { scopes: ['orders:read', 'orders:write'] }));
  });
  afterAll(async () => {
    await demo.close();
  });

  it('exchanges a key for a short-lived service token (RFC 6749 §4.4)', async () => {
    const response = await token({ grant_type: 'client_credentials' }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'orders:read orders:write' });
    expect(decodeJwt(response.body.access_token)).toEqual(
      expect.objectContaining({ sub: owner.id, client_id: keyId, aud: ORDERS_API, scope: 'orders:read orders:write' }),
    );
    const me = await request(demo.http).get('/me').set('Authorization', `Bearer ${response.body.access_token}`).expect(200);
    expect(me.body).toEqual(expect.objectContaining({ kind: 'service', subject: owner.id, scopes: ['orders:read', 'orders:write'] }));
    await request(demo.http).post('/orders').set('Authorization', `Bearer ${response.body.access_token}`).send({ item: 'pen', quantity: 2 }).expect(201);
  });

  it('grants a requested subset of the key scopes, no more', async () => {
    const response = await token({ grant_type: 'client_credentials', scope: 'orders:read' }).expect(200);
    expect(response.body.scope).toBe('orders:read');
    const denied = await request(demo.http).post('/orders').set('Authorization', `Bearer ${response.body.access_token}`).send({ item: 'pen', quantity: 1 });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('insufficient_scope');
  });

  it('issues for another allowed audience, which this service then refuses', async () => {
    const response = await token({ grant_type: 'client_credentials', audience: BILLING_API }).expect(200);
    expect(decodeJwt(response.body.access_token).aud).toBe(BILLING_API);
    await request(demo.http).get('/me').set('Authorization', `Bearer ${response.body.access_token}`).expect(401);
  });

  it('accepts the key as the HTTP Basic password with the key id as client_id', async () => {
    const response = await request(demo.http)
      .post('/oauth/token')
      .type('form')
      .auth(keyId, key)
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    expect(decodeJwt(response.body.access_token).client_id).toBe(keyId);
  });

  it.each<[string, number, string, () => request.Test]>([
    ['no key', 401, 'invalid_client', () => token({ grant_type: 'client_credentials' }, null)],
    ['an unknown key', 401, 'invalid_client', () => token({ grant_type: 'client_credentials' }, 'gh_live_0000')],
    ['another grant type', 400, 'unsupported_grant_type', () => token({ grant_type: 'password', username: 'a', password: 'b' })],
    ['no grant_type', 400, 'invalid_request', () => token({ scope: 'orders:read' })],
    ['a repeated parameter', 400, 'invalid_request', () => token('grant_type=client_credentials&grant_type=client_credentials')],
    ['a JSON body', 400, 'invalid_request', () => request(demo.http).post('/oauth/token').set('X-API-Key', key).send({ grant_type: 'client_credentials' })],
    ['a scope beyond the key', 400, 'invalid_scope', () => token({ grant_type: 'client_credentials', scope: 'orders:read api-keys:manage' })],
    ['an audience off the list', 400, 'invalid_target', () => token({ grant_type: 'client_credentials', audience: 'https://evil.example' })],
    ['the key in the body', 400, 'invalid_request', () => token({ grant_type: 'client_credentials', client_secret: key }, null)],
  ])('answers %s with %i %s (RFC 6749 §5.2)', async (_label, status, error, call) => {
    const response = await call();
    expect(response.status).toBe(status);
    expect(response.body).toEqual(expect.objectContaining({ error, error_description: expect.any(String) }));
    expect(JSON.stringify(response.body)).not.toContain(key);
    if (status === 401) expect(response.headers['www-authenticate']).toMatch(/^ApiKey realm=/);
  });

  it('refuses a revoked key, and revoking the key ends the tokens it minted', async () => {
    const doomed = await createKey(demo, owner, { scopes: ['orders:read'] });
    const minted = await token({ grant_type: 'client_credentials' }, doomed.key).expect(200);
    await request(demo.http).get('/me').set('Authorization', `Bearer ${minted.body.access_token}`).expect(200);
    await request(demo.http).delete(`/api-keys/${doomed.id}`).set(owner.headers).expect(204);
    const refused = await token({ grant_type: 'client_credentials' }, doomed.key).expect(401);
    expect(refused.body.error).toBe('invalid_client');
    await request(demo.http).get('/me').set('Authorization', `Bearer ${minted.body.access_token}`).expect(401);
  });

  it('a service token cannot manage API keys', async () => {
    const manager = await createKey(demo, owner, { scopes: ['api-keys:manage'] });
    const minted = await token({ grant_type: 'client_credentials' }, manager.key).expect(200);
    const response = await request(demo.http).get('/api-keys').set('Authorization', `Bearer ${minted.body.access_token}`).expect(403);
    expect(response.body.code).toBe('user_principal_required');
  });

  describe('ServiceTokenClient', () => {
    it('caches its token and renews it shortly before expiry (frozen clock, real server)', async () => {
      let calls = 0;
      const counting: typeof fetch = (input, init) => {
        calls++;
        return fetch(input, init);
      };
      const client = new ServiceTokenClient({ tokenUrl: `${demo.url}/oauth/token`, apiKey: key, scopes: ['orders:read'], clock: demo.clock, fetch: counting });
      const [first, concurrent] = await Promise.all([client.getToken(), client.getToken()]);
      expect(concurrent).toBe(first);
      expect(await client.getToken()).toBe(first);
      expect(calls).toBe(1);
      await request(demo.http).get('/orders').set('Authorization', await client.authorizationHeader()).expect(200);

      demo.clock.advance(539_000);
      expect(await client.getToken()).toBe(first);
      expect(calls).toBe(1);
      demo.clock.advance(1_000);
      const renewed = await client.getToken();
      expect(renewed).not.toBe(first);
      expect(calls).toBe(2);
      demo.clock.advance(120_000);
      // The first token has expired by now; the renewed one still works.
      await request(demo.http).get('/me').set('Authorization', `Bearer ${first}`).expect(401);
      await request(demo.http).get('/me').set('Authorization', `Bearer ${renewed}`).expect(200);
    });

    it('reports the OAuth error without the key', async () => {
      const client = new ServiceTokenClient({ tokenUrl: `${demo.url}/oauth/token`, apiKey: key, scopes: ['admin'], clock: demo.clock });
      const error = await client.getToken().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServiceTokenError);
      expect(error).toEqual(expect.objectContaining({ status: 400, error: 'invalid_scope' }));
      expect(String((error as Error).message)).not.toContain(key);
    });
  });
});
