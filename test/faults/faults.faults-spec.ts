import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { provisionDatabase, type TestDatabase } from '../support/database.js';
import { call, DemoProcess, type Answer } from './support/demo-process.js';
import { freePort, waitFor } from './support/free-port.js';
import { RedisProcess } from './support/redis-process.js';
import { TcpProxy } from './support/tcp-proxy.js';

// Two demo instances on one PostgreSQL database and one private Redis, as an operator runs them:
// A (Express) reaches PostgreSQL directly, B (Fastify) through a proxy the suite cuts and stalls.
// Every wait is bounded; everything listens on loopback.
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different horse, battery staple';
const CONNECT_TIMEOUT_MS = 1_000;
const QUERY_TIMEOUT_MS = 1_500;
const STALENESS_SECONDS = 4;
/** A database-bound request on a cut or stalled database answers within this. */
const FAULT_BOUND_MS = CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 1_500;

jest.setTimeout(90_000);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

describe('faults: Redis down, database refused or stalled, SIGTERM under load (two instances)', () => {
  let database: TestDatabase;
  let redis: RedisProcess;
  let proxy: TcpProxy;
  let a: DemoProcess;
  let b: DemoProcess;
  const instances: DemoProcess[] = [];
  let env: Record<string, string>;
  let email: string;
  let device1: { access_token: string; refresh_token: string };
  let device2: { access_token: string; refresh_token: string };
  let device3: { access_token: string; refresh_token: string };
  let session: Record<string, string>;
  let apiKey: { id: string; key: string };

  const start = async (name: string, extra: Record<string, string> = {}): Promise<DemoProcess> => {
    const started = await DemoProcess.start(name, { ...env, ...extra });
    instances.push(started);
    return started;
  };

  const signIn = async (on: DemoProcess, password = PASSWORD) => {
    const answer = await call(on.url, 'POST', '/auth/token', { body: { email, password } });
    expect(answer.status).toBe(200);
    return answer.body as { access_token: string; refresh_token: string };
  };

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../../dist/src/main.js', import.meta.url)))) throw new Error('run npm run build first (npm run test:faults does)');
    database = await provisionDatabase();
    if (database.kind !== 'postgres') throw new Error('the fault suite needs DATABASE_URL=postgres://… (npm run test:faults sets it)');
    redis = new RedisProcess(await freePort());
    await redis.start();
    const target = new URL(database.url);
    proxy = new TcpProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'gatehouse-faults:',
      LOGIN_RATE_LIMIT_IP: '10000/60',
      LOGIN_RATE_LIMIT_ACCOUNT: '10000/60',
      ANONYMOUS_RATE_LIMIT: '100000/60',
      API_KEY_RATE_LIMIT: '100000/60',
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      REVOCATION_MAX_STALENESS_SECONDS: String(STALENESS_SECONDS),
      SHUTDOWN_DRAIN_TIMEOUT_MS: '5000',
    };
    // A first: it runs the migrations and writes the signing key that every instance shares.
    a = await start('A', { HTTP_ADAPTER: 'express' });
    b = await start('B', { HTTP_ADAPTER: 'fastify', DATABASE_URL: viaProxy.toString() });

    email = `faults-${Date.now()}@example.com`;
    expect((await call(a.url, 'POST', '/auth/register', { body: { email, password: PASSWORD } })).status).toBe(201);
    [device1, device2, device3] = [await signIn(a), await signIn(a), await signIn(b)];
    const login = await call(a.url, 'POST', '/auth/login', { body: { email, password: PASSWORD } });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((line) => line.startsWith('__Host-session='));
    session = { cookie: (cookie ?? '').split(';', 1)[0], 'x-csrf-token': String(login.body.csrfToken) };
    const created = await call(a.url, 'POST', '/api-keys', { headers: session, body: { name: 'faults', scopes: ['orders:read'] } });
    expect(created.status).toBe(201);
    apiKey = created.body as { id: string; key: string };
    // Warm both instances' caches with every credential.
    for (const on of [a, b]) {
      for (const device of [device1, device2, device3]) expect((await call(on.url, 'GET', '/me', { headers: bearer(device.access_token) })).status).toBe(200);
      expect((await call(on.url, 'GET', '/orders', { headers: { 'x-api-key': apiKey.key } })).status).toBe(200);
    }
  }, 120_000);

  // A failed scenario must not leave its fault behind for the next one.
  afterEach(async () => {
    await proxy.restore();
    if (!redis.running) await redis.start();
  });

  afterAll(async () => {
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    await redis?.kill();
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  /** Every answer must be something other than a 500; returns the statuses by label. */
  const sweep = async (on: DemoProcess, requests: Record<string, () => Promise<Answer>>): Promise<Record<string, number>> => {
    const statuses: Record<string, number> = {};
    for (const [label, send] of Object.entries(requests)) statuses[label] = (await send()).status;
    for (const [label, status] of Object.entries(statuses)) expect(`${on.name} ${label}: ${status}`).not.toMatch(/: 5(0[^3]|[1-9]\d)$/);
    return statuses;
  };

  it('Redis down: no 500, /health degraded, revocations made meanwhile hold on every instance and on one started after', async () => {
    await redis.kill();
    for (const on of [a, b]) await waitFor(`${on.name} sees Redis down`, async () => (await call(on.url, 'GET', '/health')).body.cache === 'degraded', 10_000);

    for (const on of [a, b]) {
      const health = await call(on.url, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', database: 'up', cache: 'degraded', revocations: 'fresh' });
      const statuses = await sweep(on, {
        public: () => call(on.url, 'GET', '/'),
        me: () => call(on.url, 'GET', '/me', { headers: bearer(device1.access_token) }),
        orders: () => call(on.url, 'GET', '/orders', { headers: bearer(device1.access_token) }),
        apiKey: () => call(on.url, 'GET', '/orders', { headers: { 'x-api-key': apiKey.key } }),
        signIn: () => call(on.url, 'POST', '/auth/token', { body: { email, password: PASSWORD } }),
        refresh: () => call(on.url, 'POST', '/auth/refresh', { body: { refresh_token: 'x'.repeat(43) } }),
      });
      expect(statuses).toMatchObject({ public: 200, me: 200, orders: 200 });
    }

    // Revocations on A during the outage: committed, answered with success, never a 500.
    const family2 = sidOf(device2.access_token);
    expect((await call(a.url, 'DELETE', `/auth/sessions/${family2}`, { headers: bearer(device1.access_token) })).status).toBe(204);
    expect((await call(a.url, 'DELETE', `/api-keys/${apiKey.id}`, { headers: session })).status).toBe(204);
    // B has them from its database poll within 5 s, without Redis.
    const waited = await waitFor('B refuses the revoked family and key', async () => {
      const [token, key] = await Promise.all([
        call(b.url, 'GET', '/me', { headers: bearer(device2.access_token) }),
        call(b.url, 'GET', '/orders', { headers: { 'x-api-key': apiKey.key } }),
      ]);
      return token.status === 401 && key.status === 401;
    }, 5_000);
    expect(waited).toBeLessThan(5_000);
    expect((await call(b.url, 'GET', '/me', { headers: bearer(device2.access_token) })).body.code).toBe('token_revoked');
    expect((await call(b.url, 'POST', '/auth/refresh', { body: { refresh_token: device2.refresh_token } })).status).toBeGreaterThanOrEqual(400);
    expect((await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status).toBe(200);

    // Sign out everywhere (password change) on A during the outage: device1's token dies on B too.
    const changed = await call(a.url, 'POST', '/auth/password', { headers: bearer(device3.access_token), body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(changed.status).toBe(200);
    await waitFor('B refuses tokens issued before the password change', async () => (await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status === 401, 5_000);

    // Redis comes back empty; an instance started now loads every revocation from the database.
    await redis.start();
    const c = await start('C', { HTTP_ADAPTER: 'express' });
    for (const token of [device1, device2, device3]) expect((await call(c.url, 'GET', '/me', { headers: bearer(token.access_token) })).status).toBe(401);
    expect((await call(c.url, 'GET', '/orders', { headers: { 'x-api-key': apiKey.key } })).status).toBe(401);
    for (const on of [a, b]) await waitFor(`${on.name} sees Redis back`, async () => (await call(on.url, 'GET', '/health')).body.cache === 'up', 15_000);
    await c.stop();
    device1 = await signIn(a, NEW_PASSWORD);
    for (const on of [a, b]) expect((await call(on.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status).toBe(200);
  });

  it('database refused for B: 503 + Retry-After within the bound, cached tokens still served, automatic recovery', async () => {
    await proxy.refuse();
    for (const [label, send] of Object.entries({
      orders: () => call(b.url, 'GET', '/orders', { headers: bearer(device1.access_token) }),
      signIn: () => call(b.url, 'POST', '/auth/token', { body: { email, password: NEW_PASSWORD } }),
      register: () => call(b.url, 'POST', '/auth/register', { body: { email: `x-${Date.now()}@example.com`, password: PASSWORD } }),
      refresh: () => call(b.url, 'POST', '/auth/refresh', { body: { refresh_token: device1.refresh_token } }),
    })) {
      const answer = await send();
      expect(`${label}: ${answer.status} ${String(answer.body.code)}`).toBe(`${label}: 503 service_unavailable`);
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      expect(answer.ms).toBeLessThan(FAULT_BOUND_MS);
    }
    expect((await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status).toBe(200);
    expect((await call(b.url, 'GET', '/health')).status).toBe(503);
    expect((await call(a.url, 'GET', '/orders', { headers: bearer(device1.access_token) })).status).toBe(200);
    await proxy.restore();
    await waitFor('B recovers', async () => (await call(b.url, 'GET', '/orders', { headers: bearer(device1.access_token) })).status === 200, 10_000);
    // The refused refresh spent nothing: the same refresh token rotates now.
    const rotated = await call(b.url, 'POST', '/auth/refresh', { body: { refresh_token: device1.refresh_token } });
    expect(rotated.status).toBe(200);
    device1 = rotated.body as { access_token: string; refresh_token: string };
  });

  it('database stalled for B: 503 within the bound, never a hang; automatic recovery', async () => {
    proxy.stall();
    const answer = await call(b.url, 'GET', '/orders', { headers: bearer(device1.access_token) });
    expect(`${answer.status} ${String(answer.body.code)}`).toBe('503 service_unavailable');
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(answer.ms).toBeLessThan(FAULT_BOUND_MS);
    const signIn = await call(b.url, 'POST', '/auth/token', { body: { email, password: NEW_PASSWORD } });
    expect(signIn.status).toBe(503);
    expect(signIn.ms).toBeLessThan(FAULT_BOUND_MS);
    const refresh = await call(b.url, 'POST', '/auth/refresh', { body: { refresh_token: device1.refresh_token } });
    expect(refresh.status).toBe(503);
    expect(refresh.headers['retry-after']).toMatch(/^\d+$/);
    expect(refresh.ms).toBeLessThan(FAULT_BOUND_MS);
    expect((await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status).toBe(200);
    await proxy.restore();
    await waitFor('B recovers', async () => (await call(b.url, 'GET', '/orders', { headers: bearer(device1.access_token) })).status === 200, 15_000);
  });

  it('Redis down and B cut off its database: cached tokens served while the feed is fresh, 503 once older than N', async () => {
    await redis.kill();
    // Without Redis, B vouches for its revocations by polling the database: it keeps serving.
    await waitFor('B serves with Redis down', async () => (await call(b.url, 'GET', '/health')).body.revocations === 'fresh', 5_000);
    expect((await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status).toBe(200);
    await proxy.refuse();
    const cutAt = Date.now();
    expect((await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status).toBe(200);
    await waitFor('B refuses once it cannot vouch for revocations', async () => (await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status === 503, (STALENESS_SECONDS + 5) * 1000);
    // The last good poll was at most one interval (2 s) before the cut.
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual((STALENESS_SECONDS - 2) * 1000);
    const refused = await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) });
    expect(refused.body.code).toBe('service_unavailable');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect((await call(b.url, 'GET', '/health')).body).toMatchObject({ status: 'unavailable', revocations: 'stale' });
    await proxy.restore();
    await waitFor('B serves again after a good poll', async () => (await call(b.url, 'GET', '/me', { headers: bearer(device1.access_token) })).status === 200, 10_000);
    await redis.start();
    for (const on of [a, b]) await waitFor(`${on.name} sees Redis back`, async () => (await call(on.url, 'GET', '/health')).body.cache === 'up', 15_000);
  });

  it('SIGTERM under load: every request sent before the signal is answered (no 500, no reset), then a clean exit', async () => {
    const agents = Array.from({ length: 16 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const results: Array<{ sentAt: number; status?: number; error?: string; connection?: string }> = [];
    let signalledAt = Number.POSITIVE_INFINITY;
    const deadline = Date.now() + 10_000;
    const client = async (agent: Agent) => {
      while (Date.now() < deadline) {
        const sentAt = Date.now();
        try {
          const answer = await call(a.url, 'GET', '/orders', { headers: bearer(device1.access_token), agent, timeoutMs: 8_000 });
          results.push({ sentAt, status: answer.status, connection: String(answer.headers.connection) });
        } catch (error) {
          results.push({ sentAt, error: (error as NodeJS.ErrnoException).code ?? String(error) });
          if (sentAt > signalledAt) return;
        }
      }
    };
    const running = agents.map((agent) => client(agent));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    signalledAt = Date.now();
    a.signal('SIGTERM');
    const exitCode = await a.waitForExit(10_000);
    await Promise.all(running);
    agents.forEach((agent) => agent.destroy());

    const before = results.filter((result) => result.sentAt < signalledAt);
    expect(before.length).toBeGreaterThan(16);
    expect(before.filter((result) => result.error !== undefined || result.status !== 200)).toEqual([]);
    const after = results.filter((result) => result.sentAt >= signalledAt);
    // After the signal: answered (with Connection: close) or refused at connect, never a 500.
    expect(after.filter((result) => result.status !== undefined && result.status >= 500)).toEqual([]);
    expect(after.filter((result) => result.error !== undefined && result.error !== 'ECONNREFUSED' && result.error !== 'ECONNRESET')).toEqual([]);
    expect(results.some((result) => result.connection === 'close')).toBe(true);
    expect(exitCode).toBe(0);
  });
});
