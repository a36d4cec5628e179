import { ManualClock } from './clock.js';
import { GatehouseError } from './gatehouse.error.js';
import { MemoryKnownAddresses } from './known-addresses.js';
import { MemoryRateLimitStorage } from './memory-rate-limit.storage.js';
import { resolveRateLimitOptions } from './rate-limit-options.interface.js';
import type { SecurityEvents } from './security-events.js';
import { SignInThrottle } from './sign-in.throttle.js';

describe('SignInThrottle', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
  const emitted: string[] = [];
  const events = { emit: (type: string) => emitted.push(type) } as unknown as SecurityEvents;
  let throttle: SignInThrottle;

  beforeEach(() => {
    const limits = resolveRateLimitOptions({
      signInPerAccount: { limit: 3, ttlMs: 60_000 },
      signInPerAccountAndAddress: { limit: 2, ttlMs: 60_000 },
      signInPerAddress: { limit: 100, ttlMs: 60_000 },
      knownAddressTtlMs: 600_000,
    });
    throttle = new SignInThrottle(limits, new MemoryRateLimitStorage(clock), new MemoryKnownAddresses(clock), events);
  });

  async function outcome(email: string, ip: string): Promise<string> {
    try {
      await throttle.attempt(email, ip);
      return 'ok';
    } catch (error) {
      return error instanceof GatehouseError ? `${error.code}:${error.details.headers?.['RateLimit-Policy'] ?? ''}` : 'error';
    }
  }

  it('stops strangers at the account ceiling but not the owner on an address that signed in before', async () => {
    await throttle.succeeded(await throttle.attempt('Owner@Example.com', '198.51.100.1'));
    const strangers = [];
    for (let i = 0; i < 4; i++) strangers.push(await outcome('owner@example.com', `203.0.113.${i}`));
    // One attempt of the ceiling of 3 went to the owner's first sign-in (from a then-unknown address).
    expect(strangers).toEqual(['ok', 'ok', 'rate_limited:"sign-in-account";q=3;w=60', 'rate_limited:"sign-in-account";q=3;w=60']);
    expect(await outcome(' owner@example.com ', '198.51.100.1')).toBe('ok');
    expect(emitted).toContain('login.throttled');
  });

  it('limits one address on one account even when the address is known', async () => {
    await throttle.succeeded(await throttle.attempt('a@example.com', '198.51.100.9'));
    expect(await outcome('a@example.com', '198.51.100.9')).toBe('ok');
    expect(await outcome('a@example.com', '198.51.100.9')).toBe('rate_limited:"sign-in-account-address";q=2;w=60');
  });

  it('forgets a known address after knownAddressTtlMs', async () => {
    await throttle.succeeded(await throttle.attempt('b@example.com', '198.51.100.2'));
    clock.advance(600_000);
    for (let i = 0; i < 3; i++) await outcome('b@example.com', `203.0.113.${i}`);
    expect(await outcome('b@example.com', '198.51.100.2')).toBe('rate_limited:"sign-in-account";q=3;w=60');
  });
});
