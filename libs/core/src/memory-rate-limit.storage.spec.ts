import { ManualClock } from './clock.js';
import { MemoryRateLimitStorage } from './memory-rate-limit.storage.js';

describe('MemoryRateLimitStorage', () => {
  let clock: ManualClock;
  let storage: MemoryRateLimitStorage;

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    storage = new MemoryRateLimitStorage(clock, 3);
  });

  it('counts hits in a window that starts at the first hit, and blocks past the limit for the block duration', async () => {
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await storage.increment('k', 60_000, 3, 60_000, 'policy'));
    expect(hits.map((hit) => [hit.totalHits, hit.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(hits[3].timeToBlockExpire).toBe(60);
    clock.advance(30_000);
    const blocked = await storage.increment('k', 60_000, 3, 60_000, 'policy');
    expect(blocked).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    clock.advance(30_000);
    // The block ended: a fresh window.
    expect(await storage.increment('k', 60_000, 3, 60_000, 'policy')).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('starts a new window once the old one ends without a block', async () => {
    await storage.increment('k', 10_000, 5, 10_000, 'policy');
    await storage.increment('k', 10_000, 5, 10_000, 'policy');
    clock.advance(10_000);
    expect((await storage.increment('k', 10_000, 5, 10_000, 'policy')).totalHits).toBe(1);
  });

  it('keeps policies and keys apart, and holds at most maxEntries keys', async () => {
    await storage.increment('k', 60_000, 1, 60_000, 'a');
    expect((await storage.increment('k', 60_000, 1, 60_000, 'b')).isBlocked).toBe(false);
    await storage.increment('x', 60_000, 1, 60_000, 'a');
    await storage.increment('y', 60_000, 1, 60_000, 'a');
    // 'a:k' was the least recently used of four keys in a storage of three: forgotten.
    expect((await storage.increment('k', 60_000, 1, 60_000, 'a')).totalHits).toBe(1);
  });

  it('counts runs and interleavings exactly as a plain least-recently-used map of windows would', () => {
    // A reference with no shortcut: every count looks its window up and makes it the most recent.
    const reference = new Map<string, { hits: number; expiresAt: number }>();
    const countInReference = (name: string): number => {
      const found = reference.get(name);
      reference.delete(name);
      const window = found && clock.now() < found.expiresAt ? found : { hits: 0, expiresAt: clock.now() + 5_000 };
      reference.set(name, window);
      if (reference.size > 3) reference.delete(reference.keys().next().value!);
      return ++window.hits;
    };
    let seed = 7;
    const next = (bound: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % bound;
    };
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const seen: number[] = [];
    let repeats = 0;
    let previous = '';
    let key = 'a';
    for (let step = 0; step < 2_000; step++) {
      // Runs of one key (what the shortcut serves), switches, evictions and expiries.
      if (next(6) === 0) key = keys[next(keys.length)];
      const policy = next(10) === 0 ? 'other' : 'policy';
      if (next(20) === 0) clock.advance(1_000);
      const counted = storage.incrementNow(key, 5_000, 1_000_000, 5_000, policy).totalHits;
      expect(counted).toBe(countInReference(`${policy}:${key}`));
      seen.push(counted);
      if (`${policy}:${key}` === previous) repeats++;
      previous = `${policy}:${key}`;
    }
    // The sequence did reach every case: repeats of the key counted last, and keys forgotten or expired and started over.
    expect(repeats).toBeGreaterThan(1_000);
    expect(seen.filter((hits) => hits === 1).length).toBeGreaterThan(100);
    expect(Math.max(...seen)).toBeGreaterThan(10);
  });

  it('counts a key passed as an equal but new string on the window it counted before', () => {
    const address = ['127', '0', '0', '1'];
    for (let i = 1; i <= 3; i++) expect(storage.incrementNow(`rl:${address.join('.')}`, 60_000, 10, 60_000, 'policy').totalHits).toBe(i);
    storage.incrementNow('other', 60_000, 10, 60_000, 'policy');
    expect(storage.incrementNow(`rl:${address.join('.')}`, 60_000, 10, 60_000, 'policy').totalHits).toBe(4);
  });
});
