import { summarizeRounds, type RoundSample } from './bench-table.js';
import { COLD_CONTROL, coldPathRows, coldPathServerTable, coldPathThreadsTable } from './cold-path.js';

const round = (row: string, requests: number, cpuMicros: number, guardMicros: number, verifyMicros = 0, threads?: { main: number; gc: number; system: number }): RoundSample => ({
  row,
  requests,
  seconds: 1,
  cpuMicros,
  ...(threads ? { mainThreadMicros: threads.main, gcMicros: threads.gc, systemMicros: threads.system } : {}),
  non2xx: 0,
  errors: 0,
  guardMicros,
  guardCalls: requests,
  guardDeferred: 0,
  verifyMicros,
  verifyCalls: verifyMicros > 0 ? requests : 0,
});

describe('coldPathRows', () => {
  const samples = [
    round('public', 1_000, 100_000, 0),
    round('jwt', 1_000, 150_000, 4_000),
    round(COLD_CONTROL, 1_000, 170_000, 5_000, 0, { main: 150_000, gc: 2_000, system: 20_000 }),
    round('gatehouse cold', 1_000, 320_000, 125_000, 100_000, { main: 290_000, gc: 12_000, system: 35_000 }),
  ];
  const rows = coldPathRows([{ adapter: 'express', algorithm: 'EdDSA', rows: summarizeRounds(samples), samples }], { EdDSA: 80 });

  it('relates the cold row to its control, to the timed jwt row and to the verify timed in the server', () => {
    expect(rows).toEqual([
      {
        section: 'express',
        algorithm: 'EdDSA',
        overControlMicros: 150,
        overJwtMicros: 170,
        mainThreadOverControlMicros: 140,
        gcOverControlMicros: 10,
        otherThreadsOverControlMicros: 10,
        systemOverControlMicros: 15,
        coldGuardMicros: 125,
        cachedGuardMicros: 5,
        inServerVerifyMicros: 100,
        sequentialVerifyMicros: 80,
      },
    ]);
  });

  it('prints each figure and its ratio to one sequential verify', () => {
    const table = coldPathServerTable(rows);
    // 150 µs over the control = 1.88 sequential verifies; the guard's 120 µs = 1.50; 100 µs in server ÷ 80 = 1.25; 20 µs besides the verify.
    expect(table).toContain('| express | +150.0 | 1.88 | +170.0 | 2.13 | +120.0 | 1.50 | 100.0 | 80.0 | 1.25 | +20.0 |');
  });

  it('splits the extra by thread: the guard, GC pauses, the rest of the main thread, the other threads', () => {
    // 150 = 120 (guard) + 10 (GC pauses) + 10 (rest of the main thread's 140) + 10 (other threads: 30 against 20);
    // across that split, 15 more in the kernel (35 against 20).
    expect(coldPathThreadsTable(rows)).toContain('| express | +150.0 | +120.0 | +10.0 | +10.0 | +10.0 | +15.0 |');
    const unsplit = coldPathRows([{ adapter: 'express', algorithm: 'EdDSA', rows: summarizeRounds(samples.map(({ mainThreadMicros: _, ...rest }) => rest)), samples }], { EdDSA: 80 });
    expect(coldPathThreadsTable(unsplit)).toBe('');
  });

  it('leaves out a server without the control row', () => {
    const partial = samples.filter((sample) => sample.row !== COLD_CONTROL);
    expect(coldPathRows([{ adapter: 'fastify', algorithm: 'EdDSA', rows: summarizeRounds(partial), samples: partial }], { EdDSA: 80 })).toEqual([]);
  });
});
