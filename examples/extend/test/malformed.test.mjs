// A refusal by shape alone is marked malformed (counted in memory by the failure budget, never in
// Redis), through the packed @gatehouse/core: the docs' mechanism marks a signature of the wrong
// shape, and a well-formed one that does not verify stays a guess.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { GatehouseError, localRateLimitStorage, ManualClock, MemoryRateLimitStorage, registerErrorCodes } from '@gatehouse/core';
import { HmacSignatureMechanism } from '../dist/hmac-signature.mechanism.js';

const refusal = (run) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a refusal');
};

test('the HMAC mechanism marks a signature of the wrong shape malformed, and a wrong MAC not', () => {
  const clock = new ManualClock(Date.now());
  const mechanism = new HmacSignatureMechanism(new Map([['shop', { secret: 'partner secret', scopes: [] }]]), clock);
  // In an app, GatehouseModule registers a declared mechanism's codes; here, outside one, the test does.
  registerErrorCodes(mechanism.errors);
  const request = { method: 'POST', url: '/webhooks/orders', headers: {}, rawBody: Buffer.from('{}') };
  const garbage = refusal(() => mechanism.authenticate('keyId=shop,t=1,v1=zz', request));
  assert.ok(garbage instanceof GatehouseError);
  assert.deepEqual([garbage.code, garbage.malformed], ['signature_invalid', true]);
  const t = Math.floor(clock.now() / 1000);
  const wrong = refusal(() => mechanism.authenticate(`keyId=shop,t=${t},v1=${createHmac('sha256', 'another secret').update(`${t}.{}`).digest('hex')}`, request));
  assert.deepEqual([wrong.code, wrong.malformed], ['signature_invalid', false]);
});

test('GatehouseError takes { malformed } and localRateLimitStorage finds in-memory counters', () => {
  assert.equal(new GatehouseError('invalid_token', {}, { malformed: true }).malformed, true);
  assert.equal(new GatehouseError('invalid_token').malformed, false);
  const memory = new MemoryRateLimitStorage(new ManualClock(0));
  assert.equal(localRateLimitStorage(memory, new ManualClock(0)), memory);
  const shared = { increment: async () => ({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 }) };
  assert.ok(localRateLimitStorage(shared, new ManualClock(0)) instanceof MemoryRateLimitStorage);
});
