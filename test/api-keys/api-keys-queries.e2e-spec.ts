import request from 'supertest';
import { DataSource } from 'typeorm';
import { generateApiKey } from '@gatehouse/api-keys';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { countQueries, createKey, ROOMY_LIMITS, signUp } from './api-key-helpers.js';

describe.each(ADAPTERS)('API keys: database cost (%s)', (adapter) => {
  let demo: RunningDemo;
  let counter: ReturnType<typeof countQueries>;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
    counter = countQueries(demo.app.get(DataSource));
  });
  afterAll(async () => {
    await demo.close();
  });

  it('a cached key costs zero queries, request after request', async () => {
    const { key } = await createKey(demo, await signUp(demo));
    await request(demo.http).get('/me').set('X-API-Key', key).expect(200);
    counter.reset();
    for (let i = 0; i < 25; i++) await request(demo.http).get('/me').set('X-API-Key', key).expect(200);
    expect(counter.queries).toEqual([]);
  });

  it('a bad checksum costs zero queries', async () => {
    const { key } = await createKey(demo, await signUp(demo));
    counter.reset();
    const typo = key.slice(0, 30) + (key[30] === 'z' ? 'y' : 'z') + key.slice(31);
    for (const bad of [typo, key.slice(0, -1), `${key}0`, 'gh_live_tooShort', 'x'.repeat(500)]) {
      await request(demo.http).get('/me').set('X-API-Key', bad).expect(401);
    }
    expect(counter.queries).toEqual([]);
  });

  it('an unknown well-formed key costs one query, then none while remembered', async () => {
    const unknown = generateApiKey('gh_live');
    counter.reset();
    await request(demo.http).get('/me').set('X-API-Key', unknown).expect(401);
    expect(counter.queries).toHaveLength(1);
    expect(counter.queries[0]).toMatch(/FROM "api_keys"/);
    await request(demo.http).get('/me').set('X-API-Key', unknown).expect(401);
    await request(demo.http).get('/me').set('X-API-Key', unknown).expect(401);
    expect(counter.queries).toHaveLength(1);
  });

  it('the counter does see queries (it is not blind)', async () => {
    const user = await signUp(demo);
    counter.reset();
    await request(demo.http).get('/api-keys').set({ Cookie: user.headers.Cookie }).expect(200);
    expect(counter.queries.length).toBeGreaterThan(0);
  });
});
