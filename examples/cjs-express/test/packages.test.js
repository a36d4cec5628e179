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
