import { createServer } from 'node:net';
import { cacheHitRate, postgresTarget } from './scale-bench.js';

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

describe('postgresTarget', () => {
  /** A loopback port nothing listens on: bound, then released. */
  const closedPort = async (): Promise<number> => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  };

  it('takes DATABASE_URL when it names PostgreSQL, without probing', async () => {
    await expect(postgresTarget({ DATABASE_URL: 'postgres://u@db.invalid:5432/x' }, 'postgres://u@127.0.0.1:1/x')).resolves.toEqual({ url: 'postgres://u@db.invalid:5432/x' });
  });

  it('skips PostgreSQL when told to', async () => {
    await expect(postgresTarget({ BENCH_POSTGRES: '0' })).resolves.toEqual({ skipped: 'not measured (BENCH_POSTGRES=0)' });
  });

  it('says why when nothing answers, and fails when PostgreSQL was required', async () => {
    const local = `postgres://postgres@127.0.0.1:${await closedPort()}/test`;
    const skipped = await postgresTarget({}, local);
    expect(skipped).toEqual({ skipped: expect.stringMatching(/^not measured \(nothing answered at 127\.0\.0\.1:\d+: .*ECONNREFUSED/) });
    await expect(postgresTarget({ BENCH_POSTGRES: '1' }, local)).rejects.toThrow('BENCH_POSTGRES=1, but PostgreSQL at 127.0.0.1:');
  });
});
