import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiKey } from '@gatehouse/api-keys';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { countQueries, createKey, ROOMY_LIMITS, signUp } from './api-key-helpers.js';

describe.each(ADAPTERS)('API keys: write-behind usage (%s)', (adapter) => {
  it('counts every request without writing on the request path, and flushes on a clean stop', async () => {
    const first: RunningDemo = await startDemo(adapter, { env: ROOMY_LIMITS });
    let firstOpen = true;
    try {
      const { id, key } = await createKey(first, await signUp(first));
      const other = await createKey(first, await signUp(first, 'other'));
      await request(first.http).get('/me').set('X-API-Key', key).expect(200);
      await request(first.http).get('/me').set('X-API-Key', other.key).expect(200);
      const counter = countQueries(first.app.get(DataSource));
      for (let i = 0; i < 29; i++) await request(first.http).get('/orders').set('X-API-Key', key).expect(200);
      await request(first.http).get('/me').set('X-API-Key', other.key).expect(200);
      // /orders reads orders; nothing may touch api_keys while serving a cached key.
      expect(counter.queries.filter((query) => /api_keys/.test(query))).toEqual([]);
      const usedAt = first.clock.now();
      // Less than the one-write-per-minute interval: only the shutdown flush can write the tail.
      first.clock.advance(5_000);
      await first.close({ keepDatabase: true });
      firstOpen = false;

      const second = await startDemo(adapter, { database: first.database, env: ROOMY_LIMITS });
      try {
        const keys = second.app.get(DataSource).getRepository(ApiKey);
        expect(await keys.findOneByOrFail({ id })).toEqual(
          expect.objectContaining({ usageCount: 30, lastUsedAt: usedAt, lastUsedNetwork: '127.0.0.0/24' }),
        );
        expect((await keys.findOneByOrFail({ id: other.id })).usageCount).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      if (firstOpen) await first.close();
    }
    // Two demo starts and two argon2 sign-ups: slower than jest's default 5 s on a busy machine.
  }, 30_000);
});
