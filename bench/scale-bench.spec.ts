import { cacheHitRate } from './scale-bench.js';

/** A seeded generator (mulberry32), so the rates below are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('cacheHitRate', () => {
  it('hits nearly always while the live tokens fit, and about entries / live tokens beyond', () => {
    expect(cacheHitRate(1_000, 1_000, 20_000, seeded(1))).toBeGreaterThan(0.95);
    expect(cacheHitRate(1_000, 4_000, 40_000, seeded(2))).toBeCloseTo(0.25, 1);
    expect(cacheHitRate(0, 100, 1_000, seeded(3))).toBe(0);
  });
});
