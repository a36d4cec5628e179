import { jest } from '@jest/globals';
import { ManualClock, SystemClock } from './clock.js';
import { MemoryCache } from './memory.cache.js';
import { GatehouseError } from './gatehouse.error.js';
import { MemoryRevocationStore } from './memory-revocation.store.js';
import { isPrincipal, missingScopes } from './principal.guards.js';

describe('MemoryCache', () => {
  it('stores, bounds and invalidates entries', async () => {
    const cache = new MemoryCache(2);
    cache.set('a', 1, 60_000);
    cache.set('b', 2, 60_000);
    cache.set('c', 3, 60_000);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
    await cache.invalidate('c');
    expect(cache.get('c')).toBeUndefined();
    expect(await cache.isReady()).toBe(true);
  });

  it('does not store entries that are already expired', () => {
    const cache = new MemoryCache();
    cache.set('a', 1, 0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('starts no timer on a lookup (hits on the hot path stay synchronous and cheap)', () => {
    const cache = new MemoryCache();
    const revocations = new MemoryRevocationStore();
    cache.set('a', 1, 60_000);
    revocations.remember('k', 1, 60_000);
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    try {
      for (let i = 0; i < 3; i += 1) {
        expect(cache.get('a')).toBe(1);
        expect(revocations.revokedAt('k')).toBe(1);
      }
      expect(setTimeoutSpy).not.toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });

  it('keeps falsy values apart from misses', () => {
    const cache = new MemoryCache();
    cache.set('negative', false, 60_000);
    expect(cache.get('negative')).toBe(false);
  });
});

describe('MemoryRevocationStore', () => {
  it('remembers the latest revocation time of a key', async () => {
    const store = new MemoryRevocationStore();
    await store.revoke('sub:u1', 2_000, 60_000);
    await store.revoke('sub:u1', 1_000, 60_000);
    expect(store.revokedAt('sub:u1')).toBe(2_000);
    expect(store.revokedAt('sub:u2')).toBeUndefined();
  });

  it('never evicts a live entry: a flood of revocations at the bound refuses (503) instead of forgetting', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryRevocationStore(3, clock);
    await store.revoke('sub:victim', 1, 600_000);
    for (let i = 0; i < 10; i += 1) await store.revoke(`api-key:${i}`, 1, 60_000);
    expect(store.size).toBe(3);
    const refusal = (() => {
      try {
        store.revokedAt('sub:other');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(GatehouseError);
    expect(refusal).toMatchObject({ code: 'service_unavailable', status: 503 });
    // Once every turned-away entry would have expired, checks answer again; the victim is still there.
    clock.advance(60_000);
    expect(store.revokedAt('sub:victim')).toBe(1);
    expect(store.revokedAt('api-key:0')).toBeUndefined();
  });

  it('lets entries leave by expiry, making room for new ones', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryRevocationStore(2, clock);
    await store.revoke('a', 1, 1_000);
    await store.revoke('b', 1, 1_000);
    clock.advance(1_000);
    expect(store.revokedAt('a')).toBeUndefined();
    await store.revoke('c', 2, 1_000);
    await store.revoke('d', 2, 1_000);
    expect(store.revokedAt('c')).toBe(2);
    expect(store.revokedAt('d')).toBe(2);
  });
});

describe('clocks', () => {
  it('ManualClock moves only when told', () => {
    const clock = new ManualClock(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    clock.set(10);
    expect(clock.now()).toBe(10);
  });

  it('SystemClock reads the wall clock', () => {
    expect(Math.abs(new SystemClock().now() - Date.now())).toBeLessThan(1_000);
  });
});

describe('principal helpers', () => {
  const principal = { kind: 'user', subject: 'u1', scopes: ['a', 'b'], credential: { mechanism: 'jwt', id: 'j' } } as const;

  it('recognises principals', () => {
    expect(isPrincipal(principal)).toBe(true);
    expect(isPrincipal({ ...principal, kind: 'admin' })).toBe(false);
    expect(isPrincipal({ id: 1 })).toBe(false);
    expect(isPrincipal(null)).toBe(false);
  });

  it('lists the scopes a principal lacks', () => {
    expect(missingScopes(principal, ['a', 'c'])).toEqual(['c']);
    expect(missingScopes(principal, [])).toEqual([]);
  });
});
