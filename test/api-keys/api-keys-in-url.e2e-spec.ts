import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { createKey, ROOMY_LIMITS, signUp } from './api-key-helpers.js';

describe.each(ADAPTERS)('API keys in URLs (%s)', (adapter) => {
  let demo: RunningDemo;
  let key: string;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
    key = (await createKey(demo, await signUp(demo))).key;
  });
  afterAll(async () => {
    await demo.close();
  });

  const refused = async (call: request.Test) => {
    const response = await call;
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, code: 'api_key_in_url', message: 'API keys must be sent in a header, never in the URL.' });
    expect(JSON.stringify(response.body)).not.toContain(key);
  };

  it.each(['api_key', 'apiKey', 'key', 'API_KEY'])('refuses ?%s= on a guarded route, even with a valid header', async (name) => {
    await refused(request(demo.http).get(`/me?${name}=${key}`).set('X-API-Key', key));
  });

  it('refuses those parameter names whatever their value', async () => {
    await refused(request(demo.http).get('/orders?api_key=whatever'));
  });

  it('refuses a key-shaped value under any name, and in the path', async () => {
    await refused(request(demo.http).get(`/orders?token=${key}`));
    await refused(request(demo.http).get(`/orders?q=${encodeURIComponent(`x ${key} y`)}`));
    await refused(request(demo.http).get(`/api-keys/${key}`));
  });

  it('refuses on public routes, unknown routes and unsafe methods too', async () => {
    await refused(request(demo.http).get(`/?api_key=${key}`));
    await refused(request(demo.http).get(`/health?apiKey=${key}`));
    await refused(request(demo.http).get(`/no/such/route?key=${key}`));
    await refused(request(demo.http).post(`/auth/register?api_key=${key}`).send({ email: 'a@example.com', password: 'correct horse battery staple' }));
  });

  it('lets ordinary query strings through', async () => {
    await request(demo.http).get('/orders?limit=10&monkey=1').set('X-API-Key', key).expect(200);
  });

  it('never writes the key to the logs', async () => {
    await request(demo.http).get(`/me?api_key=${key}`);
    await request(demo.http).get(`/nowhere?token=${key}`);
    await request(demo.http).get(`/nowhere/${key}`);
    // Only now: every line the app wrote (request logs included) is in.
    const lines = demo.logs.join('\n');
    expect(lines).not.toContain(key);
    expect(lines).not.toContain(key.slice(8, 51));
    // Where a refused request is logged at all (Express logs it, Fastify stops before its logger), its URL is masked.
    const requestLines = demo.logs.filter((line) => line.includes('"url"'));
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines.filter((line) => line.includes('api_key=') || line.includes('/nowhere'))) {
      expect(line).toContain('[REDACTED]');
    }
  });
});
