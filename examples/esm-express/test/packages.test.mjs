// The packed libraries load with import and with require() (createRequire), as one instance.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const libraries = {
  '@gatehouse/core': 'GatehouseModule',
  '@gatehouse/tokens': 'TokensModule',
  '@gatehouse/sessions': 'SessionsModule',
  '@gatehouse/api-keys': 'ApiKeysModule',
};

for (const [name, moduleClass] of Object.entries(libraries)) {
  test(`${name}: import and require() give the same module`, async () => {
    const imported = await import(name);
    assert.equal(typeof imported[moduleClass], 'function');
    assert.equal(require(name)[moduleClass], imported[moduleClass]);
  });
}
