import type { Principal } from '@gatehouse/core';
import { VerifiedTokenCache, type VerifiedToken } from './verified-token.cache.js';

const entry = (subject: string): VerifiedToken => ({
  principal: { kind: 'user', subject, scopes: [], credential: { mechanism: 'jwt', id: subject } } as Principal,
  expiresAt: 1,
  issuedAt: 0,
  sessionKey: undefined,
  subjectKey: `sub:${subject}`,
});
const SIGNATURE = 'S'.repeat(24);

describe('VerifiedTokenCache', () => {
  it('hits only on the whole token: another token with the same signature suffix misses', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set(`header.payload-a.${SIGNATURE}`, entry('a'));
    expect(cache.get(`header.payload-a.${SIGNATURE}`)?.principal.subject).toBe('a');
    expect(cache.get(`header.payload-admin.${SIGNATURE}`)).toBeUndefined();
    expect(cache.get(SIGNATURE)).toBeUndefined();
  });

  it('stays within its bound, evicting the oldest entry first', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set(`t1.${'1'.repeat(24)}`, entry('1'));
    cache.set(`t2.${'2'.repeat(24)}`, entry('2'));
    cache.set(`t3.${'3'.repeat(24)}`, entry('3'));
    expect(cache.size).toBe(2);
    expect(cache.get(`t1.${'1'.repeat(24)}`)).toBeUndefined();
    expect(cache.get(`t3.${'3'.repeat(24)}`)?.principal.subject).toBe('3');
  });

  it('caches nothing when its size is 0, and forgets everything on clear', () => {
    const disabled = new VerifiedTokenCache(0);
    disabled.set(`t.${SIGNATURE}`, entry('a'));
    expect(disabled.size).toBe(0);
    const cache = new VerifiedTokenCache(5);
    cache.set(`t.${SIGNATURE}`, entry('a'));
    cache.clear();
    expect(cache.get(`t.${SIGNATURE}`)).toBeUndefined();
  });
});
