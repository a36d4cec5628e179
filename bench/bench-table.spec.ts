import { cpuByThreadTable, formatNumber, formatSigned, goalMet, goalsTable, loadTable, majorCollectionsNote, markdownTable, median, medianRoundRatio, summarizeRounds, type RoundSample } from './bench-table.js';

const sample = (row: string, requests: number, seconds: number, cpuMicros: number, non2xx = 0): RoundSample => ({
  row,
  requests,
  seconds,
  cpuMicros,
  non2xx,
  errors: 0,
});

describe('summarizeRounds', () => {
  it('adds rounds up before dividing and relates each row to the baseline', () => {
    const rows = summarizeRounds([
      sample('public', 10_000, 2, 400_000),
      sample('jwt', 6_000, 2, 480_000),
      sample('public', 14_000, 2, 560_000),
      sample('jwt', 2_000, 1, 160_000, 3),
    ]);
    expect(rows.map((r) => r.row)).toEqual(['public', 'jwt']);
    const [pub, jwt] = rows;
    expect(pub).toMatchObject({ rounds: 2, requests: 24_000, reqPerSec: 6_000, ratio: 1, cpuMicrosPerRequest: 40, extraMicrosPerRequest: 0 });
    // 8,000 requests in 3 s, 640,000 µs of CPU: 80 µs each, 40 µs more than public.
    expect(jwt.reqPerSec).toBeCloseTo(8_000 / 3);
    expect(jwt.ratio).toBeCloseTo(8_000 / 3 / 6_000);
    expect(jwt.cpuMicrosPerRequest).toBe(80);
    expect(jwt.extraMicrosPerRequest).toBe(40);
    expect(jwt.non2xx).toBe(3);
    // Round ratios 0.6 and 2,000/1 / 7,000 = 0.2857…; their median is their mean.
    expect(jwt.medianRoundRatio).toBeCloseTo((0.6 + 2_000 / 7_000) / 2);
  });

  it('takes the median of per-round ratios, so one slowed round does not move it', () => {
    const rounds = [
      [10_000, 9_000],
      [10_000, 9_200],
      [4_000, 9_000], // the baseline's round was slowed down
    ];
    const [, session] = summarizeRounds(rounds.flatMap(([pub, row]) => [sample('public', pub!, 1, 0), sample('session', row!, 1, 0)]));
    expect(session.medianRoundRatio).toBeCloseTo(0.92);
    expect(session.ratio).toBeCloseTo(27_200 / 24_000);
  });

  it('weighs a long round more than a short one (no average of averages)', () => {
    const [row] = summarizeRounds([sample('public', 9_000, 9, 0), sample('public', 3_000, 1, 0)]);
    expect(row.reqPerSec).toBe(1_200);
  });

  it('relates rows to a reference row as well, round by round', () => {
    const rows = summarizeRounds(
      [
        sample('public', 10_000, 1, 1_000_000),
        sample('shaped', 9_000, 1, 990_000),
        sample('jwt', 8_100, 1, 972_000),
        sample('public', 10_000, 1, 1_000_000),
        sample('shaped', 8_000, 1, 880_000),
        sample('jwt', 7_600, 1, 912_000),
      ],
      'public',
      'shaped',
    );
    const jwt = rows.find((r) => r.row === 'jwt')!;
    // Round ratios to the reference: 0.9 and 0.95; 120 µs per request against 110.
    expect(jwt.medianRoundRatioToReference).toBeCloseTo(0.925);
    expect(jwt.extraMicrosOverReference).toBeCloseTo(10);
    expect(jwt.extraMicrosPerRequest).toBeCloseTo(20);
    expect(summarizeRounds([sample('public', 1, 1, 1)])[0]!.medianRoundRatioToReference).toBeNaN();
  });

  it('averages the guard meter over the calls it timed and counts the ones that awaited', () => {
    const timed = { ...sample('jwt', 1_000, 1, 0), guardMicros: 3_000, guardCalls: 1_000, guardDeferred: 0 };
    const more = { ...sample('jwt', 1_000, 1, 0), guardMicros: 1_000, guardCalls: 1_000, guardDeferred: 0 };
    const [jwt] = summarizeRounds([timed, more]);
    expect(jwt.guardMicrosPerCall).toBe(2);
    expect(jwt.guardDeferred).toBe(0);
    const [miss] = summarizeRounds([{ ...sample('miss', 500, 1, 0), guardMicros: 0, guardCalls: 0, guardDeferred: 500 }]);
    expect(miss.guardMicrosPerCall).toBeNaN();
    expect(miss.guardDeferred).toBe(500);
    const [none] = summarizeRounds([sample('public', 1, 1, 1)]);
    expect(none.guardMicrosPerCall).toBeNaN();
  });

  it('divides the GC pauses by the requests, and only when every round reported them', () => {
    const [jwt] = summarizeRounds([
      { ...sample('jwt', 1_000, 1, 0), gcMicros: 3_000 },
      { ...sample('jwt', 3_000, 1, 0), gcMicros: 1_000 },
    ]);
    expect(jwt.gcMicrosPerRequest).toBe(1);
    const [partial] = summarizeRounds([{ ...sample('jwt', 1_000, 1, 0), gcMicros: 3_000 }, sample('jwt', 1_000, 1, 0)]);
    expect(partial.gcMicrosPerRequest).toBeNaN();
  });

  it('splits the CPU by thread when every round reported the main thread', () => {
    const [jwt] = summarizeRounds([
      { ...sample('jwt', 1_000, 1, 200_000), systemMicros: 20_000, mainThreadMicros: 150_000, gcMicros: 10_000, guardMicros: 5_000, guardCalls: 1_000, guardDeferred: 0 },
      { ...sample('jwt', 1_000, 1, 200_000), systemMicros: 30_000, mainThreadMicros: 170_000, gcMicros: 6_000, guardMicros: 3_000, guardCalls: 1_000, guardDeferred: 0 },
    ]);
    expect(jwt.mainThreadMicrosPerRequest).toBe(160);
    expect(jwt.systemMicrosPerRequest).toBe(25);
    const lines = cpuByThreadTable([{ adapter: 'express', rows: [jwt] }]).split('\n');
    expect(lines[0]).toBe('| adapter | row | server CPU µs/req | main thread µs/req | of which GC pauses | of which the guard | other threads µs/req | in the kernel, any thread |');
    expect(lines[2]).toBe('| express | jwt | 200.0 | 160.0 | 8.0 | 4.0 | 40.0 | 25.0 |');
    const [unsplit] = summarizeRounds([{ ...sample('jwt', 1_000, 1, 200_000), mainThreadMicros: 150_000, systemMicros: 1_000 }, sample('jwt', 1_000, 1, 200_000)]);
    expect(unsplit.mainThreadMicrosPerRequest).toBeNaN();
    expect(unsplit.systemMicrosPerRequest).toBeNaN();
    expect(cpuByThreadTable([{ adapter: 'express', rows: [unsplit] }])).toBe('');
  });

  it('leaves ratios undefined without a baseline and survives empty rounds', () => {
    const [row] = summarizeRounds([sample('jwt', 0, 0, 0)]);
    expect(row.reqPerSec).toBe(0);
    expect(row.cpuMicrosPerRequest).toBe(0);
    expect(row.ratio).toBeNaN();
    expect(row.extraMicrosPerRequest).toBeNaN();
  });
});

describe('formatting', () => {
  it('formats numbers, signs and missing values', () => {
    expect(formatNumber(12_345.6)).toBe('12,346');
    expect(formatNumber(0.456, 2)).toBe('0.46');
    expect(formatNumber(Number.NaN)).toBe('–');
    expect(formatSigned(12.34)).toBe('+12.3');
    expect(formatSigned(-0.44)).toBe('-0.4');
    expect(formatSigned(-0.01)).toBe('0.0');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('writes a markdown table with right-aligned columns and escaped pipes', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']], ['left', 'right'])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |');
  });

  it('prints one line per adapter and row, the baseline without a difference', () => {
    const rows = summarizeRounds([sample('public', 10_000, 1, 300_000), sample('jwt', 5_000, 1, 250_000)]);
    const lines = loadTable([{ adapter: 'fastify', rows }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| fastify | public | 10,000 | 1.00 | 1.00 | 30.0 |  | 0 / 0 |');
    expect(lines[3]).toBe('| fastify | jwt | 5,000 | 0.50 | 0.50 | 50.0 | +20.0 | 0 / 0 |');
  });

  it('adds the reference and guard columns when the rows have them', () => {
    const guard = (micros: number, calls: number, deferred = 0) => ({ guardMicros: micros, guardCalls: calls, guardDeferred: deferred });
    const rows = summarizeRounds(
      [
        { ...sample('public', 10_000, 1, 300_000), ...guard(1_000, 10_000) },
        { ...sample('shaped', 8_000, 1, 280_000), ...guard(800, 8_000) },
        { ...sample('jwt', 6_000, 1, 240_000), ...guard(15_000, 6_000) },
        { ...sample('miss', 1_000, 1, 100_000), ...guard(0, 0, 1_000) },
        { ...sample('evicted', 6_000, 1, 240_000), ...guard(17_991, 5_997, 3) },
      ],
      'public',
      'shaped',
    );
    const lines = loadTable([{ adapter: 'express', rows }], 'public', 'shaped').split('\n');
    expect(lines[0]).toBe(
      '| adapter | row | req/s | vs public | median of round ratios | median of round ratios to shaped | server CPU µs/req | µs/req over public | µs/req over shaped | guard µs/call in the server | non-2xx / errors |',
    );
    expect(lines[2]).toBe('| express | public | 10,000 | 1.00 | 1.00 | 1.25 | 30.0 |  | -5.0 | 0.10 | 0 / 0 |');
    expect(lines[3]).toBe('| express | shaped | 8,000 | 0.80 | 0.80 | 1.00 | 35.0 | +5.0 |  | 0.10 | 0 / 0 |');
    expect(lines[4]).toBe('| express | jwt | 6,000 | 0.60 | 0.60 | 0.75 | 40.0 | +10.0 | +5.0 | 2.50 | 0 / 0 |');
    expect(lines[5]).toBe('| express | miss | 1,000 | 0.10 | 0.10 | 0.13 | 100.0 | +70.0 | +65.0 | awaits (not timed) | 0 / 0 |');
    expect(lines[6]).toBe('| express | evicted | 6,000 | 0.60 | 0.60 | 0.75 | 40.0 | +10.0 | +5.0 | 3.00 (3 by promise) | 0 / 0 |');
  });
});

describe('medianRoundRatio and goals', () => {
  it('pairs the n-th round of one row with the n-th of another', () => {
    const samples = [sample('jwt', 9_000, 1, 0), sample('recipe', 3_000, 1, 0), sample('jwt', 8_000, 1, 0), sample('recipe', 4_000, 1, 0), sample('jwt', 1_000, 1, 0)];
    // Ratios 3 and 2 (the third jwt round has no partner): their median is 2.5.
    expect(medianRoundRatio(samples, 'jwt', 'recipe')).toBe(2.5);
    expect(medianRoundRatio(samples, 'jwt', 'absent')).toBeNaN();
  });

  it('checks bounds both ways and leaves an unmeasured goal open', () => {
    const check = (measured: number, bound: 'max' | 'min') => ({ section: 's', goal: 'g', measured, bound, target: 1.5, how: 'h' });
    expect(goalMet(check(1.5, 'max'))).toBe(true);
    expect(goalMet(check(1.51, 'max'))).toBe(false);
    expect(goalMet(check(1.49, 'min'))).toBe(false);
    expect(goalMet(check(Number.NaN, 'min'))).toBeUndefined();
    const lines = goalsTable([check(1.2, 'max'), check(1.2, 'min'), check(Number.NaN, 'max')]).split('\n');
    expect(lines[2]).toBe('| s | g | 1.20 | ≤ 1.50 | yes | h |');
    expect(lines[3]).toBe('| s | g | 1.20 | ≥ 1.50 | NO | h |');
    expect(lines[4]).toBe('| s | g | – | ≤ 1.50 | – | h |');
  });
});

describe('majorCollectionsNote', () => {
  it('names the rows whose rounds a major collection ended in, with their counts', () => {
    const samples = [
      { ...sample('jwt', 10, 1, 10), majorGcs: 0 },
      { ...sample('gatehouse cold', 10, 1, 10), majorGcs: 2 },
      { ...sample('session', 10, 1, 10), majorGcs: 1 },
      { ...sample('gatehouse cold', 10, 1, 10), majorGcs: 1 },
    ];
    expect(majorCollectionsNote(samples)).toBe('4 major garbage collections ended during measured rounds (gatehouse cold 3, session 1)');
    expect(majorCollectionsNote([{ ...sample('jwt', 10, 1, 10), majorGcs: 1 }])).toBe('1 major garbage collection ended during measured rounds (jwt 1)');
  });

  it('says when none did, and says nothing when the server did not count them', () => {
    expect(majorCollectionsNote([{ ...sample('jwt', 10, 1, 10), majorGcs: 0 }])).toBe('no major garbage collection ended during a measured round');
    expect(majorCollectionsNote([sample('jwt', 10, 1, 10), { ...sample('jwt', 10, 1, 10), majorGcs: 1 }])).toBe('');
    expect(majorCollectionsNote([])).toBe('');
  });
});
