import { decodeJwt } from 'jose';
import request from 'supertest';
import { ApiKeysService } from '@gatehouse/api-keys';
import type { Principal } from '@gatehouse/core';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { DEMO_AUDIENCE, DEMO_CLIENT_ID } from '../../src/tokens/tokens-demo.module.js';
import { createKey, ROOMY_LIMITS, signUp } from '../api-keys/api-key-helpers.js';
import { me, PASSWORD, refresh, registerUser, signIn } from './token-helpers.js';

/** An RFC 6749 §5.2 error body, with gatehouse's code beside it. */
const oauthBody = (error: string, code?: string) => expect.objectContaining({ error, error_description: expect.any(String), ...(code ? { code } : {}) });

describe.each(ADAPTERS)('token endpoints are RFC-exact (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
  });
  afterAll(async () => {
    await demo?.close();
  });

  describe('unknown parameters are ignored (RFC 6749 §3.2)', () => {
    it('on sign-in, refresh (JSON and form), revocation and /oauth/token', async () => {
      const user = await registerUser(demo);
      const first = await request(demo.http).post('/auth/token').send({ email: user.email, password: PASSWORD, nonce: 'x', extra: [1, 2] }).expect(200);
      const second = await request(demo.http).post('/auth/refresh').send({ refresh_token: first.body.refresh_token, state: 'abc', foo: { bar: 1 } }).expect(200);
      const third = await request(demo.http)
        .post('/auth/refresh')
        .type('form')
        .send(`grant_type=refresh_token&refresh_token=${second.body.refresh_token}&code_verifier=x&foo=1&foo=2`)
        .expect(200);
      await request(demo.http).post('/auth/revoke').type('form').send({ token: third.body.refresh_token, client_id: DEMO_CLIENT_ID, whatever: 'y' }).expect(200, {});
      await refresh(demo, third.body.refresh_token).expect(400);
      const owner = await signUp(demo);
      const { key } = await createKey(demo, owner);
      await request(demo.http).post('/oauth/token').type('form').set('X-API-Key', key).send({ grant_type: 'client_credentials', foo: 'bar' }).expect(200);
    });
  });

  describe('every failure is an RFC 6749 §5.2 body with the RFC status', () => {
    it.each<[string, number, string, string | undefined, () => request.Test]>([
      ['a wrong password at sign-in', 401, 'invalid_grant', 'invalid_credentials', () => request(demo.http).post('/auth/token').send({ email: 'nobody@example.com', password: 'wrong wrong wrong' })],
      ['a sign-in without a password', 400, 'invalid_request', 'invalid_request', () => request(demo.http).post('/auth/token').send({ email: 'a@example.com' })],
      ['a sign-in with an unknown delivery', 400, 'invalid_request', undefined, () => request(demo.http).post('/auth/token').send({ email: 'a@example.com', password: 'x', delivery: 'url' })],
      ['a refresh with no token', 400, 'invalid_request', 'invalid_request', () => request(demo.http).post('/auth/refresh').send({})],
      ['a refresh with a repeated token', 400, 'invalid_request', undefined, () => request(demo.http).post('/auth/refresh').type('form').send('refresh_token=a&refresh_token=b')],
      ['a refresh with a wrong type', 400, 'invalid_request', undefined, () => request(demo.http).post('/auth/refresh').send({ refresh_token: 42 })],
      ['a refresh for a foreign client_id', 400, 'invalid_grant', undefined, () => request(demo.http).post('/auth/refresh').send({ refresh_token: 'A'.repeat(43), client_id: 'someone-else' })],
      ['a revocation without a token', 400, 'invalid_request', 'invalid_request', () => request(demo.http).post('/auth/revoke').type('form').send({ token_type_hint: 'refresh_token' })],
      ['a revocation with a wrong client secret', 401, 'invalid_client', 'invalid_client', () => request(demo.http).post('/auth/revoke').type('form').send({ token: 'x', client_id: 'k', client_secret: 'gh_live_nope' })],
      ['an introspection without client authentication', 401, 'invalid_client', 'invalid_client', () => request(demo.http).post('/oauth/introspect').type('form').send({ token: 'x' })],
      ['a JSON body at /oauth/token', 400, 'invalid_request', undefined, () => request(demo.http).post('/oauth/token').send({ grant_type: 'client_credentials' })],
    ])('%s → %i %s', async (_label, status, error, code, call) => {
      const response = await call();
      expect(response.status).toBe(status);
      expect(response.body).toEqual(oauthBody(error, code));
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('a reused refresh token is 400 invalid_grant (not 401), and the family is revoked', async () => {
      const first = await signIn(demo);
      await refresh(demo, first.refresh_token).expect(200);
      demo.clock.advance(3_000);
      const reuse = await refresh(demo, first.refresh_token).expect(400);
      expect(reuse.body).toEqual(oauthBody('invalid_grant', 'refresh_token_reused'));
      expect((await me(demo, first.access_token).expect(401)).body.code).toBe('token_revoked');
    });

    it('revocation with client_secret_post (the API key as client secret) revokes a refresh token instead of failing validation', async () => {
      const owner = await signUp(demo);
      const { id, key } = await createKey(demo, owner);
      const tokens = await signIn(demo);
      await request(demo.http).post('/auth/revoke').type('form').send({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: id, client_secret: key }).expect(200, {});
      expect((await refresh(demo, tokens.refresh_token).expect(400)).body.code).toBe('invalid_grant');
    });

    it('a service token is revoked only by its own client', async () => {
      const owner = await signUp(demo);
      const mine = await createKey(demo, owner);
      const theirs = await createKey(demo, owner);
      const minted = (await request(demo.http).post('/oauth/token').type('form').auth(mine.id, mine.key).send({ grant_type: 'client_credentials' }).expect(200)).body;
      const anonymous = await request(demo.http).post('/auth/revoke').type('form').send({ token: minted.access_token }).expect(401);
      expect(anonymous.body).toEqual(oauthBody('invalid_client'));
      const foreign = await request(demo.http).post('/auth/revoke').type('form').auth(theirs.id, theirs.key).send({ token: minted.access_token }).expect(400);
      expect(foreign.body).toEqual(oauthBody('invalid_request'));
      await me(demo, minted.access_token).expect(200);
      await request(demo.http).post('/auth/revoke').type('form').auth(mine.id, mine.key).send({ token: minted.access_token }).expect(200, {});
      await me(demo, minted.access_token).expect(401);
    });
  });

  describe('RFC 8707 resource and RFC 9068 client_id', () => {
    it('user tokens carry the first-party client_id and kind user; resource selects an accepted audience', async () => {
      const user = await registerUser(demo);
      const first = await request(demo.http).post('/auth/token').send({ email: user.email, password: PASSWORD, resource: DEMO_AUDIENCE }).expect(200);
      expect(decodeJwt(first.body.access_token)).toMatchObject({ client_id: DEMO_CLIENT_ID, kind: 'user', aud: DEMO_AUDIENCE });
      expect((await me(demo, first.body.access_token).expect(200)).body.kind).toBe('user');
      const elsewhere = await request(demo.http).post('/auth/refresh').send({ refresh_token: first.body.refresh_token, resource: 'https://evil.example' }).expect(400);
      expect(elsewhere.body).toEqual(oauthBody('invalid_target', 'invalid_target'));
      await request(demo.http).post('/auth/refresh').send({ refresh_token: first.body.refresh_token, resource: DEMO_AUDIENCE }).expect(200);
    });

    it('client credentials read resource (and still the older audience)', async () => {
      const owner = await signUp(demo);
      const { key } = await createKey(demo, owner);
      const viaResource = await request(demo.http).post('/oauth/token').type('form').set('X-API-Key', key).send({ grant_type: 'client_credentials', resource: 'urn:gatehouse:demo:billing-api' }).expect(200);
      expect(decodeJwt(viaResource.body.access_token).aud).toBe('urn:gatehouse:demo:billing-api');
      const refused = await request(demo.http).post('/oauth/token').type('form').set('X-API-Key', key).send({ grant_type: 'client_credentials', resource: 'https://evil.example' }).expect(400);
      expect(refused.body).toEqual(oauthBody('invalid_target'));
    });
  });

  it('a duplicate refresh within the leeway from another client emits refresh_token_replayed', async () => {
    const first = await signIn(demo);
    await request(demo.http).post('/auth/refresh').set('User-Agent', 'owner-app/1').send({ refresh_token: first.refresh_token }).expect(200);
    demo.clock.advance(500);
    const replay = await request(demo.http).post('/auth/refresh').set('User-Agent', 'thief/1').send({ refresh_token: first.refresh_token }).expect(200);
    expect(replay.body.refresh_token).toBeDefined();
    expect(demo.logs.some((line) => line.includes('refresh_token_replayed'))).toBe(true);
  });

  describe('GET /.well-known/jwks.json', () => {
    it('sends a strong ETag and answers If-None-Match with 304', async () => {
      const first = await request(demo.http).get('/.well-known/jwks.json').expect(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      expect(first.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
      const again = await request(demo.http).get('/.well-known/jwks.json').set('If-None-Match', etag).expect(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(etag);
      await request(demo.http).get('/.well-known/jwks.json').set('If-None-Match', `W/${etag}, "other"`).expect(304);
      await request(demo.http).get('/.well-known/jwks.json').set('If-None-Match', '"stale"').expect(200);
    });
  });

  describe('POST /oauth/introspect (RFC 7662), for resource servers', () => {
    async function resourceServer(scopes = ['tokens:introspect']): Promise<{ id: string; key: string }> {
      const owner = await signUp(demo);
      const creator: Principal = { kind: 'user', subject: owner.id, scopes, credential: { mechanism: 'session', id: 'test' } };
      const issued = await demo.app.get(ApiKeysService).create(creator, { name: 'resource server', scopes });
      return { id: issued.apiKey.id, key: issued.key };
    }

    it('answers a key holding tokens:introspect, by its header or as a service token', async () => {
      const rs = await resourceServer();
      const tokens = await signIn(demo);
      const viaHeader = await request(demo.http).post('/oauth/introspect').type('form').set('X-API-Key', rs.key).send({ token: tokens.access_token }).expect(200);
      expect(viaHeader.body).toMatchObject({ active: true, sub: expect.any(String), client_id: DEMO_CLIENT_ID, kind: 'user' });
      expect(viaHeader.headers['cache-control']).toBe('no-store');
      const service = (await request(demo.http).post('/oauth/token').type('form').set('X-API-Key', rs.key).send({ grant_type: 'client_credentials' }).expect(200)).body;
      const viaToken = await request(demo.http).post('/oauth/introspect').type('form').set('Authorization', `Bearer ${service.access_token}`).send({ token: tokens.access_token }).expect(200);
      expect(viaToken.body.active).toBe(true);
      const garbage = await request(demo.http).post('/oauth/introspect').type('form').set('X-API-Key', rs.key).send({ token: 'garbage' }).expect(200);
      expect(garbage.body).toEqual({ active: false });
    });

    it('refuses a key without the scope (403 insufficient_scope) and a user token (403)', async () => {
      const owner = await signUp(demo);
      const plain = await createKey(demo, owner, { scopes: ['orders:read'] });
      const tokens = await signIn(demo);
      const noScope = await request(demo.http).post('/oauth/introspect').type('form').set('X-API-Key', plain.key).send({ token: tokens.access_token }).expect(403);
      expect(noScope.body).toEqual(oauthBody('insufficient_scope', 'insufficient_scope'));
      const asUser = await request(demo.http).post('/oauth/introspect').type('form').set('Authorization', `Bearer ${tokens.access_token}`).send({ token: tokens.access_token }).expect(403);
      expect(asUser.body).toEqual(oauthBody('invalid_request', 'forbidden'));
    });
  });
});
