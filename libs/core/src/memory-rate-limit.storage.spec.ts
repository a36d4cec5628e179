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
});
