import { performance } from 'node:perf_hooks';
import { GatehouseError } from '@gatehouse/core';
import { createApiKeysTestbed, user, type ApiKeysTestbed } from '../test/api-keys-testing.js';
import { apiKeyChecksum, generateApiKey } from './api-key.format.js';
import { ApiKeyVerifier } from './api-key.verifier.js';
import { ApiKeysService } from './api-keys.service.js';

/** Wall time of refusing `key` (the negative cache is off, so every try reaches the store). */
async function refusalTime(verifier: ApiKeyVerifier, key: string): Promise<number> {
  const started = performance.now();
  try {
    await verifier.verify(key, '203.0.113.1');
  } catch (error) {
    if (!(error instanceof GatehouseError)) throw error;
  }
  return performance.now() - started;
}

const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

// SECURITY.md §8: timing must not tell a near-miss of a real key (same prefix, same first 42
// secret characters) from a random key. Lookup is by SHA-256 of the whole key, so both cost one
// indexed miss; this guards against a regression to prefix lookups or early-exit compares.
describe('API key refusal timing', () => {
  let bed: ApiKeysTestbed;

  beforeAll(async () => {
    bed = await createApiKeysTestbed({ negativeCacheTtlMs: 0, failureBurstThreshold: 1_000_000 });
  });
  afterAll(() => bed.close());

  it('does not separate a near-miss of a real key from a random key', async () => {
    const { key } = await bed.module.get(ApiKeysService).create(user('alice'), { name: 'real', scopes: [] });
    const verifier = bed.module.get(ApiKeyVerifier);
    const head = key.slice(0, -7);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let n = 0;
    const nearMiss = () => {
      const candidate = head + alphabet[n++ % 62];
      return candidate + apiKeyChecksum(candidate);
    };
    // Interleaved, so load on the machine hits both kinds alike.
    const near: number[] = [];
    const far: number[] = [];
    for (let i = 0; i < 500; i++) {
      let candidate = nearMiss();
      if (candidate === key) candidate = nearMiss();
      const nearTime = await refusalTime(verifier, candidate);
      const farTime = await refusalTime(verifier, generateApiKey('gh_live'));
      if (i >= 100) {
        near.push(nearTime);
        far.push(farTime);
      }
    }
    const ratio = median(near) / median(far);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1 / 0.6);
  });
});
