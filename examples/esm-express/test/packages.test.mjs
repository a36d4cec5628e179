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

// The testing subpath (internals for tests, not covered by semver) resolves from the tarball too,
// and the public entry keeps its internals to itself.
const testing = {
  '@gatehouse/core': 'RedisBus',
  '@gatehouse/tokens': 'VerifiedTokenCache',
  '@gatehouse/sessions': 'hashSessionSecret',
  '@gatehouse/api-keys': 'encodeBase62',
};

for (const [name, internal] of Object.entries(testing)) {
  test(`${name}/testing: import and require() give the same module`, async () => {
    const imported = await import(`${name}/testing`);
    assert.equal(typeof imported[internal], 'function');
    assert.equal(require(`${name}/testing`)[internal], imported[internal]);
    assert.equal(internal in (await import(name)), false);
  });
}
