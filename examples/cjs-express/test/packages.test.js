// The packed libraries load with require() in a CommonJS app (Node >= 20.19 requires ES modules),
// and require() and import() hand out the same module: one instance of every class and token.
const assert = require('node:assert/strict');
const { test } = require('node:test');

const libraries = {
  '@gatehouse/core': 'GatehouseModule',
  '@gatehouse/tokens': 'TokensModule',
  '@gatehouse/sessions': 'SessionsModule',
  '@gatehouse/api-keys': 'ApiKeysModule',
};

for (const [name, moduleClass] of Object.entries(libraries)) {
  test(`${name}: require() and import() give the same module`, async () => {
    const required = require(name);
    const imported = await import(name);
    assert.equal(typeof required[moduleClass], 'function');
    assert.equal(required[moduleClass], imported[moduleClass]);
  });
}

// The testing subpath (internals for tests, not covered by semver) resolves from the tarball too,
// and the public entry keeps its internals to itself.
const testing = {
  '@gatehouse/core': 'RedisBus',
  '@gatehouse/tokens': 'VerifiedTokenCache',
  '@gatehouse/sessions': 'hashSessionSecret',
  '@gatehouse/api-keys': 'encodeBase62',
};

for (const [name, internal] of Object.entries(testing)) {
  test(`${name}/testing: require() and import() give the same module`, async () => {
    const required = require(`${name}/testing`);
    const imported = await import(`${name}/testing`);
    assert.equal(typeof required[internal], 'function');
    assert.equal(required[internal], imported[internal]);
    assert.equal(internal in require(name), false);
  });
}

test('each mechanism library exports its migrations as an array of classes', () => {
  const { apiKeysMigrations } = require('@gatehouse/api-keys');
  const { sessionsMigrations } = require('@gatehouse/sessions');
  const { tokensMigrations } = require('@gatehouse/tokens');
  for (const migrations of [apiKeysMigrations, sessionsMigrations, tokensMigrations]) {
    assert.ok(migrations.length > 0);
    for (const migration of migrations) assert.match(migration.name, /\d{13}$/);
  }
});

test('a refusal by shape is marked malformed and counted in memory, through require() too', () => {
  const { GatehouseError, localRateLimitStorage, ManualClock, MemoryRateLimitStorage } = require('@gatehouse/core');
  assert.equal(new GatehouseError('invalid_token', {}, { malformed: true }).malformed, true);
  assert.equal(new GatehouseError('invalid_token').malformed, false);
  const clock = new ManualClock(0);
  const memory = new MemoryRateLimitStorage(clock);
  assert.equal(localRateLimitStorage(memory, clock), memory);
  const first = memory.incrementNow('rl:auth-failures:192.0.2.1', 60_000, 1, 60_000, 'auth-failures');
  const second = memory.incrementNow('rl:auth-failures:192.0.2.1', 60_000, 1, 60_000, 'auth-failures');
  assert.deepEqual([first.totalHits, first.isBlocked, second.totalHits, second.isBlocked], [1, false, 2, true]);
});

test('KnownSecretHashes keeps a remembered secret\'s cache key as one string, through require() too', () => {
  const { KnownSecretHashes } = require('@gatehouse/core');
  const { hash } = require('node:crypto');
  const known = new KnownSecretHashes(10, 'partner:');
  const secret = 'whsec_4f1c2b8e9d7a6c5b3e2f1a0d9c8b7a6e';
  const remembered = known.remember(secret, hash('sha256', secret, 'hex'));
  assert.equal(remembered.cacheKey, `partner:${hash('sha256', secret, 'hex')}`);
  assert.equal(known.lookup(secret), remembered);
  assert.equal(known.get(secret), remembered.hash);
  assert.equal(known.lookup(`${secret.slice(0, -1)}f`), undefined);
});
