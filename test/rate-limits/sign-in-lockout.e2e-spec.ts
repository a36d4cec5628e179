import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { PASSWORD } from '../api-keys/api-key-helpers.js';
import { randomBytes } from 'node:crypto';

const OWNER_IP = '198.51.100.7';

describe.each(ADAPTERS)('sign-in throttling (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, {
      env: {
        TRUST_PROXY: 'loopback',
        LOGIN_RATE_LIMIT_ACCOUNT: '6/300',
        LOGIN_RATE_LIMIT_ACCOUNT_IP: '3/300',
        LOGIN_RATE_LIMIT_IP: '1000/300',
        ANONYMOUS_RATE_LIMIT: '10000/60',
      },
    });
  }, 30_000);
  afterAll(async () => {
    await demo?.close();
  }, 30_000);

  const from = (ip: string, path: '/auth/token' | '/auth/login', email: string, password: string) =>
    request(demo.http).post(path).set('X-Forwarded-For', ip).send({ email, password });

  async function owner(): Promise<string> {
    const email = `victim-${randomBytes(5).toString('hex')}@example.com`;
    await request(demo.http).post('/auth/register').send({ email, password: PASSWORD }).expect(201);
    // The owner signs in once from their usual address: that address is now known for the account.
    await from(OWNER_IP, '/auth/token', email, PASSWORD).expect(200);
    return email;
  }

  it("a stranger's failures from other addresses do not stop the owner on an address that signed in before", async () => {
    const email = await owner();
    const statuses: number[] = [];
    // 40 wrong passwords from 20 addresses, across both sign-in routes.
    for (let i = 0; i < 40; i++) {
      const path = i % 2 === 0 ? '/auth/token' : '/auth/login';
      statuses.push((await from(`203.0.113.${i % 20}`, path, email, 'wrong password')).status);
    }
    // The account-wide ceiling for unknown addresses (6, one spent by the owner's first sign-in)
    // stops the stranger after 5, on every route.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    await from('192.0.2.99', '/auth/login', email, PASSWORD).expect(429);
    // The owner still signs in, on both routes, from their known address.
    await from(OWNER_IP, '/auth/login', email, PASSWORD).expect(200);
    await from(OWNER_IP, '/auth/token', email, PASSWORD).expect(200);
  });

  it('counts one bucket per account and address across every sign-in route', async () => {
    const email = await owner();
    const attacker = '203.0.113.200';
    const seen = [
      (await from(attacker, '/auth/token', email, 'wrong')).status,
      (await from(attacker, '/auth/login', email, 'wrong')).status,
      (await from(attacker, '/auth/token', email, 'wrong')).status,
      (await from(attacker, '/auth/login', email, 'wrong')).status,
    ];
    expect(seen).toEqual([401, 401, 401, 429]);
    const limited = await from(attacker, '/auth/token', email, PASSWORD).expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(300);
  });
});
