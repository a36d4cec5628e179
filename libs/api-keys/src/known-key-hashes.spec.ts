import { generateApiKey } from './api-key.format.js';
import { KnownKeyHashes } from './known-key-hashes.js';
import { hashApiKey } from './api-key.verifier.js';

describe('KnownKeyHashes', () => {
  it('answers only for exactly the remembered key, never for one sharing its suffix', () => {
    const known = new KnownKeyHashes(10);
    const key = generateApiKey('gh_live');
    known.remember(key, hashApiKey(key));
    expect(known.get(key)).toBe(hashApiKey(key));
    // Same last 12 characters, different secret: a miss, and the remembered entry stays.
    const twin = `gh_live_${'0'.repeat(31)}${key.slice(-12)}`;
    expect(twin).toHaveLength(key.length);
    expect(known.get(twin)).toBeUndefined();
    expect(known.get(`${key}x`)).toBeUndefined();
    expect(known.get(key)).toBe(hashApiKey(key));
  });

  it('is bounded, forgetting the oldest first; size 0 remembers nothing', () => {
    const known = new KnownKeyHashes(2);
    const [a, b, c] = [generateApiKey('gh_live'), generateApiKey('gh_live'), generateApiKey('gh_live')];
    for (const key of [a, b, c]) known.remember(key, hashApiKey(key));
    expect(known.size).toBe(2);
    expect(known.get(a)).toBeUndefined();
    expect(known.get(c)).toBe(hashApiKey(c));
    const none = new KnownKeyHashes(0);
    none.remember(a, hashApiKey(a));
    expect(none.get(a)).toBeUndefined();
  });
});
