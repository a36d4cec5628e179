// A custom mechanism that checks a high-entropy secret can remember its hash, and its cache key,
// through the packed @gatehouse/core, as the built-in session and API-key checks do.
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import { KnownSecretHashes } from '@gatehouse/core';

test('KnownSecretHashes answers for exactly the remembered secret, with its cache key built once', () => {
  const known = new KnownSecretHashes(2, 'partner:');
  const secrets = ['whsec_4f1c2b8e9d7a6c5b3e2f1a0d9c8b7a6e', 'whsec_0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'whsec_99887766554433221100ffeeddccbbaa'];
  const sha256 = (secret) => hash('sha256', secret, 'hex');
  const first = known.remember(secrets[0], sha256(secrets[0]));
  assert.deepEqual(first, { secret: secrets[0], hash: sha256(secrets[0]), cacheKey: `partner:${sha256(secrets[0])}` });
  assert.equal(known.lookup(secrets[0]), first);
  // Same last twelve characters, another secret: a miss.
  assert.equal(known.lookup(`whsec_ffffffffffffffffffffffff${secrets[0].slice(-12)}`), undefined);
  // Bounded, oldest first.
  known.remember(secrets[1], sha256(secrets[1]));
  known.remember(secrets[2], sha256(secrets[2]));
  assert.equal(known.lookup(secrets[0]), undefined);
  assert.equal(known.get(secrets[2]), sha256(secrets[2]));
});
