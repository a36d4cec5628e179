// The mechanism is the docs' worked example, unchanged: following the docs is enough.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('src/hmac-signature.mechanism.ts is the listing in docs/core.md', () => {
  const docs = readFileSync(new URL('../../../docs/core.md', import.meta.url), 'utf8');
  const listing = /<!-- example:hmac-signature:start -->\n```ts\n([\s\S]*?)```\n<!-- example:hmac-signature:end -->/.exec(docs)?.[1];
  assert.ok(listing, 'docs/core.md has the hmac-signature listing');
  assert.equal(readFileSync(new URL('../src/hmac-signature.mechanism.ts', import.meta.url), 'utf8'), listing);
});
