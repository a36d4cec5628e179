import type { Principal } from './principal.interface.js';
import { rateLimitBucketOf } from './rate-limit-bucket.js';
import { resolveRateLimitOptions } from './rate-limit-options.interface.js';

const principal = (kind: Principal['kind'], credential: Principal['credential'], subject = 'alice'): Principal => ({ kind, subject, scopes: [], credential });

describe('rateLimitBucketOf', () => {
  it('puts an API key and the service tokens exchanged from it in one bucket', () => {
    const key = rateLimitBucketOf(principal('api-key', { mechanism: 'api-key', id: 'k1' }));
    const token = rateLimitBucketOf(principal('service', { mechanism: 'jwt', id: 'jti-1', sessionId: 'api-key:k1' }));
    expect(key).toEqual({ policy: 'api-key', key: 'api-key:k1' });
    expect(token).toEqual(key);
  });

  it('puts every token and session of a user in one bucket, apart from other users', () => {
    const jwt = rateLimitBucketOf(principal('user', { mechanism: 'jwt', id: 'jti', sessionId: 'fam' }));
    const session = rateLimitBucketOf(principal('user', { mechanism: 'session', id: 's1' }));
    expect(jwt).toEqual({ policy: 'user', key: 'user:alice' });
    expect(session).toEqual(jwt);
    expect(rateLimitBucketOf(principal('user', { mechanism: 'session', id: 's2' }, 'bob')).key).toBe('user:bob');
  });

  it('counts other service principals per subject under the API-key policy', () => {
    expect(rateLimitBucketOf(principal('service', { mechanism: 'jwt', id: 'jti' }, 'billing'))).toEqual({ policy: 'api-key', key: 'service:billing' });
  });
});

describe('resolveRateLimitOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveRateLimitOptions(undefined)).toEqual({
      enabled: true,
      apiKey: { limit: 600, ttlMs: 60_000 },
      user: { limit: 1200, ttlMs: 60_000 },
      anonymous: { limit: 300, ttlMs: 60_000 },
      signInPerAccount: { limit: 20, ttlMs: 900_000 },
      signInPerAccountAndAddress: { limit: 10, ttlMs: 900_000 },
      signInPerAddress: { limit: 100, ttlMs: 900_000 },
      knownAddressTtlMs: 30 * 86_400_000,
      failuresPerAddress: { limit: 100, ttlMs: 60_000 },
      redisTimeoutMs: 250,
      memoryMaxEntries: 100_000,
    });
  });

  it('turns every limit off with false', () => {
    expect(resolveRateLimitOptions(false).enabled).toBe(false);
  });

  it.each([{ user: { limit: 0, ttlMs: 1000 } }, { apiKey: { limit: 1.5, ttlMs: 1000 } }, { anonymous: { limit: 1, ttlMs: 0 } }, { redisTimeoutMs: -1 }])(
    'refuses %j at start-up',
    (options) => {
      expect(() => resolveRateLimitOptions(options)).toThrow(TypeError);
    },
  );
});
