import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiKey, generateApiKey } from '@gatehouse/api-keys';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, observable, ROOMY_LIMITS, signUp, type SignedInUser } from './api-key-helpers.js';

const DAY = 86_400_000;
const KEY_FORMAT = /^gh_live_[0-9A-Za-z]{49}$/;

describe.each(ADAPTERS)('API keys: management and use (%s)', (adapter) => {
  let demo: RunningDemo;
  let owner: SignedInUser;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
    owner = await signUp(demo);
  });
  afterAll(async () => {
    await demo.close();
  });

  it('POST /api-keys returns the key once, in the documented format, uncached', async () => {
    const response = await request(demo.http)
      .post('/api-keys')
      .set(owner.headers)
      .send({ name: 'ci', scopes: ['orders:read'], expiresInDays: 30 })
      .expect(201);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key: expect.stringMatching(KEY_FORMAT),
      name: 'ci',
      hint: `gh_live_…${response.body.key.slice(-4)}`,
      scopes: ['orders:read'],
      status: 'active',
      createdAt: new Date(demo.clock.now()).toISOString(),
      expiresAt: new Date(demo.clock.now() + 30 * DAY).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
      usageCount: 0,
      rotatedFromId: null,
      replacedById: null,
    });
  });

  it('stores only the SHA-256 of the key', async () => {
    const { id, key } = await createKey(demo, owner);
    const row = await demo.app.get(DataSource).getRepository(ApiKey).findOneByOrFail({ id });
    expect(row.hash).toBe(createHash('sha256').update(key).digest('hex'));
    const everything = JSON.stringify(await demo.app.get(DataSource).query('SELECT * FROM api_keys'));
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(8, 51));
  });

  it('GET /api-keys lists the caller keys with neither key nor hash', async () => {
    const other = await signUp(demo, 'other');
    const { key } = await createKey(demo, other, { name: 'mine' });
    const response = await request(demo.http).get('/api-keys').set({ Cookie: other.headers.Cookie }).expect(200);
    expect(response.body).toHaveLength(1);
    expect(Object.keys(response.body[0]).sort()).toEqual(
      ['createdAt', 'expiresAt', 'hint', 'id', 'lastUsedAt', 'name', 'replacedById', 'revokedAt', 'rotatedFromId', 'scopes', 'status', 'usageCount'].sort(),
    );
    expect(JSON.stringify(response.body)).not.toContain(key.slice(8, -4));
    expect(JSON.stringify(response.body)).not.toContain(createHash('sha256').update(key).digest('hex'));
  });

  it('accepts a key on /me and /orders, with the key scopes', async () => {
    const { id, key } = await createKey(demo, owner, { scopes: ['orders:read'] });
    const me = await request(demo.http).get('/me').set('X-API-Key', key).expect(200);
    expect(me.body).toEqual({
      kind: 'api-key',
      subject: owner.id,
      scopes: ['orders:read'],
      credential: { mechanism: 'api-key', id, expiresAt: expect.any(Number) },
    });
    await request(demo.http).get('/orders').set('X-API-Key', key).expect(200);
  });

  it('answers 403 insufficient_scope when the key lacks the route scope', async () => {
    const { key } = await createKey(demo, owner, { scopes: ['orders:read'] });
    const response = await request(demo.http).post('/orders').set('X-API-Key', key).send({ item: 'book', quantity: 1 }).expect(403);
    expect(response.body).toEqual(expect.objectContaining({ code: 'insufficient_scope', scope: 'orders:write' }));
    const writer = await createKey(demo, owner, { scopes: ['orders:write'] });
    await request(demo.http).post('/orders').set('X-API-Key', writer.key).send({ item: 'book', quantity: 1 }).expect(201);
  });

  it('refuses a key with scopes its creator does not hold (subset rule)', async () => {
    const response = await request(demo.http).post('/api-keys').set(owner.headers).send({ name: 'x', scopes: ['orders:read', 'admin'] }).expect(403);
    expect(response.body).toEqual(expect.objectContaining({ code: 'insufficient_scope', scope: 'admin' }));
  });

  it('keeps several keys of one owner active side by side', async () => {
    const user = await signUp(demo, 'many');
    const keys = [await createKey(demo, user), await createKey(demo, user), await createKey(demo, user)];
    for (const { key, id } of keys) {
      expect((await request(demo.http).get('/me').set('X-API-Key', key).expect(200)).body.credential.id).toBe(id);
    }
    const listed = await request(demo.http).get('/api-keys').set({ Cookie: user.headers.Cookie }).expect(200);
    expect(listed.body.map((key: { status: string }) => key.status)).toEqual(['active', 'active', 'active']);
  });

  it('rotates: the new key works at once, the old one until its grace period ends', async () => {
    const old = await createKey(demo, owner, { expiresInDays: 30 });
    await request(demo.http).get('/me').set('X-API-Key', old.key).expect(200);
    const rotated = await request(demo.http).post(`/api-keys/${old.id}/rotate`).set(owner.headers).send({}).expect(201);
    expect(rotated.body).toEqual(
      expect.objectContaining({ key: expect.stringMatching(KEY_FORMAT), rotatedFromId: old.id, previous: expect.objectContaining({ replacedById: rotated.body.id }) }),
    );
    expect(rotated.body.previous.expiresAt).toBe(new Date(demo.clock.now() + DAY).toISOString());
    await request(demo.http).get('/me').set('X-API-Key', rotated.body.key).expect(200);
    demo.clock.advance(DAY - 1000);
    await request(demo.http).get('/me').set('X-API-Key', old.key).expect(200);
    demo.clock.advance(1000);
    await request(demo.http).get('/me').set('X-API-Key', old.key).expect(401);
    await request(demo.http).get('/me').set('X-API-Key', rotated.body.key).expect(200);
    const again = await request(demo.http).post(`/api-keys/${old.id}/rotate`).set(owner.headers).send({}).expect(409);
    expect(again.body.code).toBe('conflict');
  });

  it('rotates with a grace period chosen per call', async () => {
    const old = await createKey(demo, owner);
    await request(demo.http).post(`/api-keys/${old.id}/rotate`).set(owner.headers).send({ gracePeriodSeconds: 60 }).expect(201);
    demo.clock.advance(59_000);
    await request(demo.http).get('/me').set('X-API-Key', old.key).expect(200);
    demo.clock.advance(1_000);
    await request(demo.http).get('/me').set('X-API-Key', old.key).expect(401);
  });

  it('revokes at once: DELETE, then the (cached) key is refused', async () => {
    const { id, key } = await createKey(demo, owner);
    await request(demo.http).get('/me').set('X-API-Key', key).expect(200);
    await request(demo.http).delete(`/api-keys/${id}`).set(owner.headers).expect(204);
    await request(demo.http).get('/me').set('X-API-Key', key).expect(401);
    const listed = await request(demo.http).get(`/api-keys/${id}`).set({ Cookie: owner.headers.Cookie }).expect(200);
    expect(listed.body.status).toBe('revoked');
  });

  it('answers unknown, revoked, expired and mistyped keys with one identical 401', async () => {
    const revoked = await createKey(demo, owner);
    await request(demo.http).delete(`/api-keys/${revoked.id}`).set(owner.headers).expect(204);
    const expired = await createKey(demo, owner, { expiresInDays: 1 });
    const valid = await createKey(demo, owner, { expiresInDays: 30 });
    demo.clock.advance(DAY);
    const mistyped = valid.key.slice(0, 20) + (valid.key[20] === 'A' ? 'B' : 'A') + valid.key.slice(21);
    const candidates = [generateApiKey('gh_live'), revoked.key, expired.key, mistyped, `gh_test_${valid.key.slice(8)}`, 'not a key'];
    const answers = [];
    for (const key of candidates) answers.push(observable(await request(demo.http).get('/orders').set('X-API-Key', key)));
    expect(answers[0]).toEqual({
      status: 401,
      body: { statusCode: 401, code: 'invalid_api_key', message: 'The API key is invalid.' },
      headers: expect.objectContaining({ 'cache-control': 'no-store', 'www-authenticate': 'ApiKey realm="gatehouse", header="x-api-key"' }),
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('logs key lifecycle and a revoked key still being tried as security events, without the key', async () => {
    const { id, key } = await createKey(demo, owner);
    await request(demo.http).delete(`/api-keys/${id}`).set(owner.headers).expect(204);
    await request(demo.http).get('/me').set('X-API-Key', key).expect(401);
    const events = demo.logs.filter((line) => line.includes('security event api_key.') && line.includes(id));
    expect(events.map((line) => (JSON.parse(line) as { event: { type: string } }).event.type)).toEqual([
      'api_key.created',
      'api_key.revoked',
      'api_key.revoked_used',
    ]);
    expect(demo.logs.join('\n')).not.toContain(key);
  });

  it('does not let an API key manage keys', async () => {
    const { key, id } = await createKey(demo, owner, { scopes: ['api-keys:manage'] });
    for (const call of [
      request(demo.http).get('/api-keys').set('X-API-Key', key),
      request(demo.http).post('/api-keys').set('X-API-Key', key).send({ name: 'x', scopes: [] }),
      request(demo.http).post(`/api-keys/${id}/rotate`).set('X-API-Key', key).send({}),
      request(demo.http).delete(`/api-keys/${id}`).set('X-API-Key', key),
    ]) {
      const response = await call;
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('mechanism_not_allowed');
    }
  });

  it("answers 404 for another owner's key", async () => {
    const { id } = await createKey(demo, owner);
    const stranger = await signUp(demo, 'stranger');
    await request(demo.http).get(`/api-keys/${id}`).set({ Cookie: stranger.headers.Cookie }).expect(404);
    await request(demo.http).post(`/api-keys/${id}/rotate`).set(stranger.headers).send({}).expect(404);
    await request(demo.http).delete(`/api-keys/${id}`).set(stranger.headers).expect(404);
  });

  it.each([
    ['no name', { scopes: [] }],
    ['a blank name', { name: '   ', scopes: [] }],
    ['scopes not a list', { name: 'x', scopes: 'orders:read' }],
    ['a scope with a space', { name: 'x', scopes: ['orders read'] }],
    ['a lifetime of 0 days', { name: 'x', scopes: [], expiresInDays: 0 }],
    ['a lifetime over a year', { name: 'x', scopes: [], expiresInDays: 400 }],
    ['an unknown field', { name: 'x', scopes: [], owner: 'someone-else' }],
  ])('refuses %s with 400 validation_failed', async (_label, body) => {
    const response = await request(demo.http).post('/api-keys').set(owner.headers).send(body).expect(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it('needs a credential and CSRF protection for cookie-authenticated changes', async () => {
    await request(demo.http).get('/api-keys').expect(401);
    const response = await request(demo.http).post('/api-keys').set({ Cookie: owner.headers.Cookie }).send({ name: 'x', scopes: [] });
    expect(response.status).toBe(403);
  });
});
