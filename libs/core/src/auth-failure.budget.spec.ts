import { AuthFailureBudget } from './auth-failure.budget.js';
import { ClientAddresses } from './client-addresses.js';
import { ManualClock } from './clock.js';
import { GatehouseError } from './gatehouse.error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';
import { MemoryRateLimitStorage } from './memory-rate-limit.storage.js';
import { resolveRateLimitOptions } from './rate-limit-options.interface.js';
import type { RateLimitStorage, ThrottlerStorageRecord } from './rate-limit-storage.interface.js';
import type { SecurityEvents } from './security-events.js';

/** A shared storage (Redis, say) that counts the calls it gets: each is a round trip in production. */
class CountingStorage implements RateLimitStorage {
  readonly keys: string[] = [];
  private readonly counts = new MemoryRateLimitStorage(new ManualClock(0));

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    this.keys.push(key);
    return this.counts.increment(key, ttl, limit, blockDuration, throttlerName);
  }
}

describe('AuthFailureBudget', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
  const limits = resolveRateLimitOptions({ failuresPerAddress: { limit: 3, ttlMs: 60_000 } });
  const events: string[] = [];
  const securityEvents = { emit: (type: string) => events.push(type) } as unknown as SecurityEvents;
  const request = (ip: string): GatehouseRequest => ({ headers: {}, method: 'GET', url: '/', socket: { remoteAddress: ip } });
  const garbage = () => new GatehouseError('invalid_token', { mechanism: 'jwt' }, { malformed: true });
  const guess = () => new GatehouseError('invalid_token', { mechanism: 'jwt' });
  const codeOf = (answer: unknown) => (answer as GatehouseError).code;

  beforeEach(() => {
    events.length = 0;
  });

  it('counts a malformed credential synchronously, in memory, without touching a shared storage', () => {
    const shared = new CountingStorage();
    const budget = new AuthFailureBudget(limits, shared, new ClientAddresses(undefined), securityEvents, clock);
    const answers = [1, 2, 3, 4].map(() => budget.refused(request('203.0.113.9'), garbage()));
    expect(answers.some((answer) => answer instanceof Promise)).toBe(false);
    expect(answers.map(codeOf)).toEqual(['invalid_token', 'invalid_token', 'invalid_token', 'rate_limited']);
    expect((answers[3] as GatehouseError).details.headers?.['RateLimit-Policy']).toBe('"auth-failures";q=3;w=60');
    expect(events).toEqual(['auth.failure_budget_exceeded']);
    expect(shared.keys).toEqual([]);
    // Another address has its own count.
    expect(codeOf(budget.refused(request('203.0.113.10'), garbage()))).toBe('invalid_token');
  });

  it('counts a well-formed refusal (a guess) in the shared storage', async () => {
    const shared = new CountingStorage();
    const budget = new AuthFailureBudget(limits, shared, new ClientAddresses(undefined), securityEvents, clock);
    const answer = budget.refused(request('198.51.100.4'), guess());
    expect(answer).toBeInstanceOf(Promise);
    expect(codeOf(await answer)).toBe('invalid_token');
    expect(shared.keys).toEqual(['rl:auth-failures:198.51.100.4']);
  });

  it('with the in-memory storage, garbage and guesses share one count, both counted synchronously', () => {
    const budget = new AuthFailureBudget(limits, new MemoryRateLimitStorage(clock), new ClientAddresses(undefined), securityEvents, clock);
    const ip = '192.0.2.33';
    const answers = [garbage, guess, garbage, guess, garbage].map((refusal) => budget.refused(request(ip), refusal()));
    expect(answers.some((answer) => answer instanceof Promise)).toBe(false);
    expect(answers.map(codeOf)).toEqual(['invalid_token', 'invalid_token', 'invalid_token', 'rate_limited', 'rate_limited']);
    expect(events).toEqual(['auth.failure_budget_exceeded']);
  });

  it("counts guesses in the shared storage even when it keeps an in-memory fallback (Redis's)", async () => {
    const shared = Object.assign(new CountingStorage(), { memory: new MemoryRateLimitStorage(clock) });
    const budget = new AuthFailureBudget(limits, shared, new ClientAddresses(undefined), securityEvents, clock);
    const answer = budget.refused(request('198.51.100.7'), guess());
    expect(answer).toBeInstanceOf(Promise);
    expect(codeOf(await answer)).toBe('invalid_token');
    expect(shared.keys).toEqual(['rl:auth-failures:198.51.100.7']);
    // Garbage goes to the fallback, synchronously.
    expect(budget.refused(request('198.51.100.7'), garbage())).not.toBeInstanceOf(Promise);
    expect(shared.keys).toHaveLength(1);
  });

  it('leaves errors other than 401s, and every error while rate limits are off, uncounted', () => {
    const shared = new CountingStorage();
    const budget = new AuthFailureBudget(limits, shared, new ClientAddresses(undefined), securityEvents, clock);
    const forbidden = new GatehouseError('insufficient_scope');
    expect(budget.refused(request('192.0.2.1'), forbidden)).toBe(forbidden);
    const off = new AuthFailureBudget(resolveRateLimitOptions(false), shared, new ClientAddresses(undefined), securityEvents, clock);
    const refused = garbage();
    expect(off.refused(request('192.0.2.1'), refused)).toBe(refused);
    expect(shared.keys).toEqual([]);
  });
});
