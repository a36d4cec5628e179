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

test('each mechanism library exports its migrations as an array of classes', () => {
  const { apiKeysMigrations } = require('@gatehouse/api-keys');
  const { sessionsMigrations } = require('@gatehouse/sessions');
  const { tokensMigrations } = require('@gatehouse/tokens');
  for (const migrations of [apiKeysMigrations, sessionsMigrations, tokensMigrations]) {
    assert.ok(migrations.length > 0);
    for (const migration of migrations) assert.match(migration.name, /\d{13}$/);
  }
});
