import request from 'supertest';
import { DataSource } from 'typeorm';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';

const PASSWORD = 'correct horse battery staple';

describe.each(ADAPTERS)('demo app (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: { LOGIN_RATE_LIMIT_IP: '1000/60', LOGIN_RATE_LIMIT_ACCOUNT: '1000/60' } });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('GET / reports name, version and adapter without a credential', async () => {
    const response = await request(demo.http).get('/').expect(200);
    expect(response.body).toEqual({ name: 'gatehouse-demo', version: expect.stringMatching(/^\d+\.\d+\.\d+/), adapter });
  });

  it('GET /health reports the database and cache as up', async () => {
    const response = await request(demo.http).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up', cache: 'up', revocations: 'fresh' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('registers a user and refuses a duplicate email with 409', async () => {
    const created = await request(demo.http).post('/auth/register').send({ email: 'Reg@Example.com', password: PASSWORD }).expect(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const again = await request(demo.http).post('/auth/register').send({ email: 'reg@example.com', password: PASSWORD }).expect(409);
    expect(again.body.code).toBe('conflict');
  });

  it('stores only an argon2id hash of the password', async () => {
    await request(demo.http).post('/auth/register').send({ email: 'hash@example.com', password: PASSWORD }).expect(201);
    const rows: Array<{ password_hash: string }> = await demo.app.get(DataSource).query(
      `SELECT password_hash FROM accounts WHERE email = 'hash@example.com'`,
    );
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
  });

  it.each([
    ['an invalid email', { email: 'not-an-email', password: PASSWORD }],
    ['a short password', { email: 'short@example.com', password: 'short' }],
    ['an unknown field', { email: 'extra@example.com', password: PASSWORD, admin: true }],
    ['a wrong type', { email: 'type@example.com', password: 123456789012345 }],
    ['a missing field', { email: 'missing@example.com' }],
    ['an array body', [{ email: 'array@example.com', password: PASSWORD }]],
  ])('answers %s with 400 validation_failed', async (_label, body) => {
    const response = await request(demo.http).post('/auth/register').send(body as object).expect(400);
    expect(response.body.code).toBe('validation_failed');
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const response = await request(demo.http)
      .post('/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.co", "password": ')
      .expect(400);
    expect(response.body.code).toBe('malformed_json');
  });

  it('answers an oversized body with 413 payload_too_large', async () => {
    const response = await request(demo.http)
      .post('/auth/register')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(64 * 1024) }))
      .expect(413);
    expect(response.body.code).toBe('payload_too_large');
  });

  it('refuses a non-JSON body with a 4xx code, never a 500', async () => {
    const response = await request(demo.http).post('/auth/register').set('Content-Type', 'text/plain').send('email=a@b.co');
    expect([400, 415]).toContain(response.status);
    expect(['validation_failed', 'unsupported_media_type']).toContain(response.body.code);
  });

  it('answers an unknown route with 404 not_found', async () => {
    const response = await request(demo.http).get('/no-such-route').expect(404);
    expect(response.body.code).toBe('not_found');
  });

  it('requires a credential on /me and /orders', async () => {
    for (const path of ['/me', '/orders']) {
      const response = await request(demo.http).get(path).expect(401);
      expect(response.body).toEqual({ statusCode: 401, code: 'credentials_missing', message: expect.any(String) });
    }
  });

  it('never writes a password to the logs', async () => {
    await request(demo.http).post('/auth/register').send({ email: 'logs@example.com', password: PASSWORD }).expect(201);
    await request(demo.http).post('/auth/register').send({ email: 'bad', password: PASSWORD }).expect(400);
    expect(demo.logs.length).toBeGreaterThan(0);
    expect(demo.logs.join('\n')).not.toContain(PASSWORD);
  });
});

describe.each(ADAPTERS)('demo rate limits and readiness (%s)', (adapter) => {
  it('limits login attempts per account and per IP with 429 and Retry-After', async () => {
    const demo = await startDemo(adapter, { env: { LOGIN_RATE_LIMIT_ACCOUNT: '2/60', LOGIN_RATE_LIMIT_IP: '4/60' } });
    try {
      const attempt = (email: string) => request(demo.http).post('/auth/register').send({ email, password: PASSWORD });
      expect((await attempt('victim@example.com')).status).toBe(201);
      expect((await attempt('victim@example.com')).status).toBe(409);
      const limited = await attempt('victim@example.com');
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(limited.headers['cache-control']).toBe('no-store');
      expect(limited.headers['ratelimit-policy']).toMatch(/q=2;w=60/);
      // Other accounts from the same IP share its budget of 4 per minute (2 spent above), then it runs out.
      expect((await attempt('other@example.com')).status).toBe(201);
      expect((await attempt('third@example.com')).status).toBe(201);
      const ipLimited = await attempt('fourth@example.com');
      expect(ipLimited.status).toBe(429);
      expect(ipLimited.headers['ratelimit-policy']).toMatch(/^"login-ip";q=4;w=60$/);
    } finally {
      await demo.close();
    }
  });

  it('GATEHOUSE_RATE_LIMITS=off disables the limits', async () => {
    const demo = await startDemo(adapter, { env: { GATEHOUSE_RATE_LIMITS: 'off', LOGIN_RATE_LIMIT_ACCOUNT: '1/60' } });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await request(demo.http).post('/auth/register').send({ email: 'same@example.com', password: PASSWORD });
        expect(response.status).not.toBe(429);
      }
    } finally {
      await demo.close();
    }
  });

  it('GET /health answers 503 when the database is gone', async () => {
    const demo = await startDemo(adapter);
    try {
      await demo.app.get(DataSource).destroy();
      const response = await request(demo.http).get('/health').expect(503);
      expect(response.body).toEqual({ status: 'unavailable', database: 'down', cache: 'up', revocations: 'fresh' });
    } finally {
      await demo.close();
    }
  });
});
