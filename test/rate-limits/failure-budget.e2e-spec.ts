import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, PASSWORD, signUp } from '../api-keys/api-key-helpers.js';
import { generateApiKey } from '@gatehouse/api-keys';

/** A token whose signature no longer matches (last signature character changed). */
function tampered(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

describe.each(ADAPTERS)('per-address failure budget (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, {
      env: {
        TRUST_PROXY: 'loopback',
        AUTH_FAILURE_LIMIT: '6/60',
        ANONYMOUS_RATE_LIMIT: '10000/60',
        LOGIN_RATE_LIMIT_IP: '10000/60',
        LOGIN_RATE_LIMIT_ACCOUNT: '10000/60',
        LOGIN_RATE_LIMIT_ACCOUNT_IP: '10000/60',
      },
    });
  }, 30_000);
  afterAll(async () => {
    await demo?.close();
  }, 30_000);

  const get = (ip: string, headers: Record<string, string>) => request(demo.http).get('/orders').set('X-Forwarded-For', ip).set(headers);

  it('counts bad JWTs, bad session cookies and bad API keys in one budget; past it refusals are 429 with Retry-After', async () => {
    const owner = await signUp(demo, 'budget');
    const token = await request(demo.http).post('/auth/token').send({ email: owner.email, password: PASSWORD }).expect(200);
    const bad = tampered(token.body.access_token as string);
    const attacker = '203.0.113.50';
    const seen = [
      (await get(attacker, { Authorization: `Bearer ${bad}` })).status,
      (await get(attacker, { Cookie: `__Host-session=${randomBytes(32).toString('base64url')}` })).status,
      (await get(attacker, { 'X-API-Key': generateApiKey('gh_live') })).status,
      (await get(attacker, { Authorization: `Bearer ${bad}` })).status,
      (await get(attacker, { Cookie: `__Host-session=${randomBytes(32).toString('base64url')}` })).status,
      (await get(attacker, { 'X-API-Key': generateApiKey('gh_live') })).status,
    ];
    expect(seen).toEqual([401, 401, 401, 401, 401, 401]);
    const limited = await get(attacker, { Authorization: `Bearer ${bad}` }).expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['ratelimit-policy']).toBe('"auth-failures";q=6;w=60');
    await get(attacker, { Cookie: `__Host-session=${randomBytes(32).toString('base64url')}` }).expect(429);
    // Another address is not affected.
    await get('203.0.113.51', { Authorization: `Bearer ${bad}` }).expect(401);
  });

  it('never refuses a valid key, session or token because of failures from the same address', async () => {
    const owner = await signUp(demo, 'nat');
    const { key } = await createKey(demo, owner, { scopes: ['orders:read'] });
    const token = await request(demo.http).post('/auth/token').send({ email: owner.email, password: PASSWORD }).expect(200);
    const shared = '198.51.100.80';
    for (let i = 0; i < 10; i++) await get(shared, { 'X-API-Key': generateApiKey('gh_live') });
    await get(shared, { 'X-API-Key': generateApiKey('gh_live') }).expect(429);
    // First seen from here and never verified before on this route: all checked and accepted.
    await get(shared, { 'X-API-Key': key }).expect(200);
    await get(shared, { Cookie: owner.headers.Cookie }).expect(200);
    await get(shared, { Authorization: `Bearer ${token.body.access_token as string}` }).expect(200);
  });

  it('buckets IPv6 clients by /64: cycling addresses inside one /64 buys nothing', async () => {
    for (let i = 1; i <= 6; i++) await get(`2001:db8:77:1::${i.toString(16)}`, { 'X-API-Key': generateApiKey('gh_live') }).expect(401);
    await get('2001:db8:77:1:ffff:ffff:ffff:ffff', { 'X-API-Key': generateApiKey('gh_live') }).expect(429);
    await get('2001:db8:77:2::1', { 'X-API-Key': generateApiKey('gh_live') }).expect(401);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const other = await startDemo(adapter, { env: { AUTH_FAILURE_LIMIT: '2/60', ANONYMOUS_RATE_LIMIT: '10000/60' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await request(other.http).get('/orders').set('X-Forwarded-For', `192.0.2.${i}`).set('X-API-Key', generateApiKey('gh_live'))).status);
      }
      // Without TRUST_PROXY every request is the loopback peer's, whatever it claims.
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await other.close();
    }
  }, 30_000);
});
