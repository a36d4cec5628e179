import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, generateKeyPair } from 'jose';
import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../src/tokens/tokens-demo.module.js';
import { LOGIN_LIMITS, me, PASSWORD, refresh, registerUser, signIn } from './token-helpers.js';

const BEARER_CHALLENGE = /^Bearer realm="gatehouse", error="invalid_token", error_description="[^"]+"$/;

describe.each(ADAPTERS)('token endpoints (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: LOGIN_LIMITS });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('signs in with a password: an OAuth token response, never cached, and a working bearer token', async () => {
    const user = await registerUser(demo);
    const response = await request(demo.http).post('/auth/token').send({ email: user.email, password: PASSWORD }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'orders:read orders:write api-keys:manage',
    });
    const principal = (await me(demo, response.body.access_token).expect(200)).body;
    expect(principal).toMatchObject({ kind: 'user', subject: user.id, credential: { mechanism: 'jwt', sessionId: expect.any(String) } });
    await request(demo.http).get('/orders').set('Authorization', `Bearer ${response.body.access_token}`).expect(200);
  });

  it('refuses a wrong password with 401 invalid_credentials', async () => {
    const user = await registerUser(demo);
    const response = await request(demo.http).post('/auth/token').send({ email: user.email, password: 'wrong password!!' }).expect(401);
    expect(response.body.code).toBe('invalid_credentials');
  });

  it('token → refresh → reuse → family revoked → its access tokens refused', async () => {
    const first = await signIn(demo);
    const second = (await refresh(demo, first.refresh_token).expect(200)).body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    await me(demo, first.access_token).expect(200);
    await me(demo, second.access_token).expect(200);

    demo.clock.advance(3_000); // past the 2 s leeway
    // RFC 6749 §5.2: a reused grant is 400 invalid_grant, like any other dead one.
    const reuse = await refresh(demo, first.refresh_token).expect(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', code: 'refresh_token_reused' });

    for (const accessToken of [first.access_token, second.access_token]) {
      const refused = await me(demo, accessToken).expect(401);
      expect(refused.body.code).toBe('token_revoked');
      expect(refused.headers['www-authenticate']).toMatch(BEARER_CHALLENGE);
    }
    const dead = await refresh(demo, second.refresh_token as string).expect(400);
    expect(dead.body).toMatchObject({ error: 'invalid_grant', code: 'invalid_grant' });
    expect(demo.logs.some((line) => line.includes('refresh.reuse_detected'))).toBe(true);
  });

  it('answers a duplicate within the leeway with the same refresh token', async () => {
    const first = await signIn(demo);
    const a = (await refresh(demo, first.refresh_token).expect(200)).body;
    demo.clock.advance(1_500);
    const b = (await refresh(demo, first.refresh_token).expect(200)).body;
    expect(b.refresh_token).toBe(a.refresh_token);
    await refresh(demo, a.refresh_token).expect(200);
  });

  it('gives 20 parallel refreshes of one token exactly one successor, and the family lives on', async () => {
    const first = await signIn(demo);
    const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(demo, first.refresh_token)));
    const successors = new Set(responses.filter((response) => response.status === 200).map((response) => response.body.refresh_token as string));
    const others = responses.filter((response) => response.status !== 200);
    expect(successors.size).toBe(1);
    for (const response of others) expect(response.body).toMatchObject({ code: 'refresh_in_progress', error: 'invalid_grant' });
    const [successor] = [...successors];
    const next = (await refresh(demo, successor as string).expect(200)).body;
    await me(demo, next.access_token).expect(200);
    const devices = (await request(demo.http).get('/auth/sessions').set('Authorization', `Bearer ${next.access_token}`).expect(200)).body;
    expect(devices.filter((device: { type: string }) => device.type === 'refresh-family')).toHaveLength(1);
  });

  it('narrows scopes on refresh and refuses widening them', async () => {
    const first = await signIn(demo);
    const wide = await request(demo.http).post('/auth/refresh').send({ refresh_token: first.refresh_token, scope: 'orders:read admin' }).expect(400);
    expect(wide.body.code).toBe('invalid_scope');
    const narrow = await request(demo.http).post('/auth/refresh').send({ refresh_token: first.refresh_token, scope: 'orders:read' }).expect(200);
    expect(narrow.body.scope).toBe('orders:read');
    await request(demo.http).post('/orders').set('Authorization', `Bearer ${narrow.body.access_token}`).send({ item: 'x', quantity: 1 }).expect(403);
  });

  it('accepts the RFC 6749 form-encoded refresh and refuses other grant types', async () => {
    const first = await signIn(demo);
    await request(demo.http).post('/auth/refresh').type('form').send({ grant_type: 'refresh_token', refresh_token: first.refresh_token }).expect(200);
    const other = await request(demo.http).post('/auth/refresh').type('form').send({ grant_type: 'password', refresh_token: first.refresh_token }).expect(400);
    expect(other.body).toMatchObject({ error: 'unsupported_grant_type' });
    const missing = await request(demo.http).post('/auth/refresh').send({}).expect(400);
    expect(missing.body.code).toBe('invalid_request');
    // An empty parameter counts as omitted (RFC 6749 §3.2).
    expect((await refresh(demo, '').expect(400)).body.code).toBe('invalid_request');
    for (const garbage of ['x', 'A'.repeat(43)]) {
      expect((await refresh(demo, garbage).expect(400)).body.code).toBe('invalid_grant');
    }
  });

  it('revokes (RFC 7009): a refresh token revokes its family; unknown and garbage tokens get 200 too', async () => {
    const first = await signIn(demo);
    await request(demo.http).post('/auth/revoke').type('form').send({ token: first.refresh_token, token_type_hint: 'refresh_token' }).expect(200, {});
    expect((await refresh(demo, first.refresh_token).expect(400)).body.code).toBe('invalid_grant');
    expect((await me(demo, first.access_token).expect(401)).body.code).toBe('token_revoked');
    for (const token of ['A'.repeat(43), 'garbage', 'a.b.c', first.access_token]) {
      await request(demo.http).post('/auth/revoke').send({ token }).expect(200, {});
    }
    await request(demo.http).post('/auth/revoke').send({}).expect(400);
  });

  it('revokes the sign-in of a presented access token', async () => {
    const first = await signIn(demo);
    await request(demo.http).post('/auth/revoke').send({ token: first.access_token, token_type_hint: 'access_token' }).expect(200, {});
    expect((await me(demo, first.access_token).expect(401)).body.code).toBe('token_revoked');
    expect((await refresh(demo, first.refresh_token).expect(400)).body.code).toBe('invalid_grant');
  });

  it('publishes the public signing keys at /.well-known/jwks.json, cacheable, without private parts', async () => {
    const response = await request(demo.http).get('/.well-known/jwks.json').expect(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    const jwks = JSON.parse(response.text) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' }]);
    const { access_token: token } = await signIn(demo);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: jwks.keys[0]?.kid, typ: 'at+jwt' });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: DEMO_ISSUER,
      audience: DEMO_AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
      currentDate: new Date(demo.clock.now()),
    });
    expect(payload).toMatchObject({ scope: 'orders:read orders:write api-keys:manage', sid: expect.any(String), jti: expect.any(String) });
  });

  describe('bad bearer tokens are 401 with a code and an RFC 6750 challenge, never a 500', () => {
    it.each([
      ['garbage', 'garbage'],
      ['three dots of nothing', 'a.b.c'],
      ['alg none', 'eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJhZG1pbiJ9.'],
      ['a JSON header that is not an object', `${Buffer.from('[]').toString('base64url')}.e30.AA`],
      ['9 KiB of token', `ey${'A'.repeat(9 * 1024)}.e30.AA`],
    ])('%s', async (_name, token) => {
      const response = await me(demo, token).expect(401);
      expect(response.body).toMatchObject({ code: 'invalid_token', error: 'invalid_token' });
      expect(response.headers['www-authenticate']).toMatch(BEARER_CHALLENGE);
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('an empty bearer token', async () => {
      const response = await request(demo.http).get('/me').set('Authorization', 'Bearer ').expect(401);
      expect(response.body.code).toBe('invalid_token');
    });

    it('a forged signature (one bit flipped in the decoded signature)', async () => {
      const { access_token: token } = await signIn(demo);
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const bytes = Buffer.from(signature, 'base64url');
      bytes[10] = (bytes[10] as number) ^ 0x01;
      const response = await me(demo, `${header}.${payload}.${bytes.toString('base64url')}`).expect(401);
      expect(response.body.code).toBe('invalid_token');
    });

    it('a well-formed token signed by a key outside the ring, reusing our kid', async () => {
      const { access_token: token } = await signIn(demo);
      const { kid } = decodeProtectedHeader(token);
      const { privateKey } = await generateKeyPair('EdDSA');
      const now = Math.floor(demo.clock.now() / 1000);
      const forged = await new SignJWT({ scope: 'orders:read orders:write api-keys:manage', jti: 'x' })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: kid as string })
        .setIssuer(DEMO_ISSUER)
        .setAudience(DEMO_AUDIENCE)
        .setSubject('someone-else')
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
      expect((await me(demo, forged).expect(401)).body.code).toBe('invalid_token');
    });

    it('an expired token: token_expired, on a cached token too', async () => {
      const { access_token: token } = await signIn(demo);
      await me(demo, token).expect(200);
      demo.clock.advance(10 * 60_000 + 30_000);
      const response = await me(demo, token).expect(401);
      expect(response.body).toMatchObject({ code: 'token_expired', error: 'invalid_token' });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_token", error_description="The access token has expired."');
    });

    it('no token at all: a bare Bearer challenge', async () => {
      const response = await request(demo.http).get('/me').expect(401);
      expect(response.headers['www-authenticate']).toContain('Bearer realm="gatehouse"');
      expect(response.headers['www-authenticate']).not.toContain('error=');
    });
  });

  it('never logs a refresh or access token', async () => {
    const first = await signIn(demo);
    await refresh(demo, first.refresh_token).expect(200);
    await request(demo.http).post('/auth/revoke').send({ token: first.refresh_token }).expect(200);
    const logs = demo.logs.join('\n');
    expect(logs).not.toContain(first.refresh_token);
    expect(logs).not.toContain(first.access_token.split('.')[2]);
  });
});
