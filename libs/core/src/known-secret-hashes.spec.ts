import { hash, randomBytes } from 'node:crypto';
import { KnownSecretHashes } from './known-secret-hashes.js';

const generateApiKey = (prefix: string) => `${prefix}_${randomBytes(36).toString('base64url').slice(0, 49)}`;
const hashApiKey = (key: string) => hash('sha256', key, 'hex');

describe('KnownSecretHashes', () => {
  it('answers only for exactly the remembered key, never for one sharing its suffix', () => {
    const known = new KnownSecretHashes(10);
    const key = generateApiKey('gh_live');
    known.remember(key, hashApiKey(key));
    expect(known.get(key)).toBe(hashApiKey(key));
    // Same last 12 characters, different secret: a miss, and the remembered entry stays.
    const twin = `gh_live_${'0'.repeat(key.length - 20)}${key.slice(-12)}`;
    expect(twin).toHaveLength(key.length);
    expect(known.get(twin)).toBeUndefined();
    expect(known.get(`${key}x`)).toBeUndefined();
    expect(known.get(key)).toBe(hashApiKey(key));
  });

  it('is bounded, forgetting the oldest first; size 0 remembers nothing', () => {
    const known = new KnownSecretHashes(2);
    const [a, b, c] = [generateApiKey('gh_live'), generateApiKey('gh_live'), generateApiKey('gh_live')];
    for (const key of [a, b, c]) known.remember(key, hashApiKey(key));
    expect(known.size).toBe(2);
    expect(known.get(a)).toBeUndefined();
    expect(known.get(c)).toBe(hashApiKey(c));
    const none = new KnownSecretHashes(0);
    none.remember(a, hashApiKey(a));
    expect(none.get(a)).toBeUndefined();
  });

  it('keeps each secret\'s cache key as one string, built from the prefix it was given', () => {
    const known = new KnownSecretHashes(10, 'apikey:');
    const key = generateApiKey('gh_live');
    const remembered = known.remember(key, hashApiKey(key));
    expect(remembered).toEqual({ secret: key, hash: hashApiKey(key), cacheKey: `apikey:${hashApiKey(key)}` });
    // The same entry on every lookup: the key string is not rebuilt.
    expect(known.lookup(key)).toBe(remembered);
    expect(known.lookup(`${key.slice(0, -1)}x`)).toBeUndefined();
    expect(new KnownSecretHashes(10).remember(key, hashApiKey(key)).cacheKey).toBe(hashApiKey(key));
    // Remembering nothing still answers with the entry the caller needs.
    expect(new KnownSecretHashes(0, 'apikey:').remember(key, 'h').cacheKey).toBe('apikey:h');
  });
});
