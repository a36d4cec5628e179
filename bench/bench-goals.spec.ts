import { benchGoals, controlledBy, guardFloorOf, refusalFloorOf, sameHeaders, type BenchSection } from './bench-goals.js';
import { summarizeRounds, type RoundSample } from './bench-table.js';

const round = (row: string, requests: number, cpuMicros: number, guardMicros = 0, verifyMicros = 0): RoundSample => ({
  row,
  requests,
  seconds: 1,
  cpuMicros,
  non2xx: 0,
  errors: 0,
  guardMicros,
  guardCalls: guardMicros > 0 ? requests : 0,
  guardDeferred: 0,
  verifyMicros,
  verifyCalls: verifyMicros > 0 ? requests : 0,
});

function section(adapter: string, algorithm: 'EdDSA' | 'ES256', samples: RoundSample[]): BenchSection {
  return { adapter, algorithm, rows: summarizeRounds(samples, 'public', 'shaped public'), samples };
}

describe('benchGoals', () => {
  const samples = [
    round('public', 10_000, 500_000),
    round('shaped public', 9_000, 540_000),
    round('jwt', 8_600, 533_200, 8_600 * 2.5),
    round('session', 8_500, 527_000, 8_500 * 3.5),
    round('api-key', 9_000, 558_000, 9_000 * 2),
    round('gatehouse cold', 4_000, 4_000 * (72 + 130), 4_000 * 142, 4_000 * 120),
    round('jwt (cold-shaped load)', 4_000, 4_000 * 72, 4_000 * 2),
    round('recipe', 2_000, 2_000 * 550),
    round('recipe (KeyObject)', 9_000, 9_000 * 130),
    round('refused: garbage token', 12_000, 12_000 * 50, 12_000 * 1),
    round('refused: bad signature', 5_000, 5_000 * 150),
    round('refused: garbage key', 12_000, 12_000 * 50, 12_000 * 6),
    round('refused: garbage cookie', 12_000, 12_000 * 50, 12_000 * 1),
    round('shaped public (jwt headers)', 8_800, 8_800 * 60),
    round('guard floor (api-key headers)', 9_100, 9_100 * 61, 9_100 * 0.8),
    round('guard floor (garbage key)', 12_000, 12_000 * 45, 12_000 * 4),
  ];
  const checks = benchGoals([section('fastify', 'EdDSA', samples)], { EdDSA: 100 });
  const find = (goal: string) => checks.find((check) => check.goal === goal)!;

  it('relates the cold path to one verify of the same run, under the same load as its control', () => {
    // (202 − 72) µs over 100 µs for one verify; against the timed jwt row (62 µs): 1.4.
    expect(find('first-seen token: server CPU over a cached one').measured).toBeCloseTo(1.3);
    expect(find('first-seen token: server CPU over the timed jwt row').measured).toBeCloseTo(1.4);
    // (142 − 2) µs in the guard: 1.4 sequential verifies, or 140 / 120 verifies timed in the server.
    expect(find('first-seen token: guard time over a cached one').measured).toBeCloseTo(1.4);
    expect(find('first-seen token: guard time over a cached one, in verifies timed in the server').measured).toBeCloseTo(140 / 120);
    expect(find('bad-signature token over a garbage one').measured).toBeCloseTo(1);
  });

  it('holds cached kinds to the shaped route and to the adapter’s guard budget', () => {
    expect(find('jwt: throughput to the shaped public route').measured).toBeCloseTo(8_600 / 9_000);
    expect(find('session: guard µs per call')).toMatchObject({ measured: 3.5, target: 3 });
    expect(find('api-key: guard µs per call').target).toBe(3);
    expect(find('garbage key: guard µs per call')).toMatchObject({ measured: 6, target: 5 });
  });

  it('compares gatehouse with both recipes round by round', () => {
    expect(find('gatehouse cached to recipe').measured).toBeCloseTo(4.3);
    expect(find('gatehouse cached to recipe (KeyObject)').measured).toBeCloseTo(8_600 / 9_000);
    expect(find('gatehouse cold to recipe').measured).toBeCloseTo(2);
  });

  it('checks only the cold path on an ES256 server, against the ES256 verify', () => {
    const es = benchGoals([section('express', 'ES256', samples)], { EdDSA: 100, ES256: 65 });
    expect(es).toHaveLength(4);
    expect(es[0]).toMatchObject({ section: 'express (ES256)', target: 1.5 });
    expect(es[0]!.measured).toBeCloseTo(130 / 65);
    expect(benchGoals([section('express', 'EdDSA', samples)], {}).find((c) => c.goal === 'jwt: guard µs per call')!.target).toBe(5);
  });

  it('shows the warm guard loop beside the per-request figures, with the same budgets, only when it ran', () => {
    expect(checks.some((check) => check.goal.endsWith(', warm'))).toBe(false);
    const loops = [
      { row: 'jwt', micros: 0.7, calls: 1000, deferred: 0 },
      { row: 'refused: garbage key', micros: 3.2, calls: 1000, deferred: 1000 },
    ];
    const withLoops = benchGoals([{ ...section('fastify', 'EdDSA', samples), loops }], { EdDSA: 100 });
    const warm = (goal: string) => withLoops.find((check) => check.goal === goal);
    expect(warm('jwt: guard µs per call, warm')).toMatchObject({ measured: 0.7, target: 3 });
    expect(warm('garbage key: guard µs per call, warm')).toMatchObject({ measured: 3.2, target: 5 });
    expect(warm('session: guard µs per call, warm')).toBeUndefined();
    // The per-request figure is still the goal's own row.
    expect(warm('jwt: guard µs per call')).toMatchObject({ measured: 2.5 });
  });

  it('relates each cached kind to the shaped route sent its own headers too, when that control ran', () => {
    expect(find('jwt: throughput to the shaped public route sent the same headers').measured).toBeCloseTo(8_600 / 8_800);
    expect(find('session: throughput to the shaped public route sent the same headers').measured).toBeNaN();
    expect(controlledBy(sameHeaders('api-key'))).toBe('api-key');
    expect(controlledBy('shaped public')).toBeUndefined();
  });

  it('shows the guard floor beside a kind\'s own guard time, with its budget, only when the floor ran', () => {
    expect(find('api-key: the guard floor\'s µs per call')).toMatchObject({ measured: 0.8, target: 3, bound: 'max' });
    expect(find('session: the guard floor\'s µs per call')).toBeUndefined();
    // The kind's own row is unchanged: the floor is shown beside it, never subtracted from it.
    expect(find('api-key: guard µs per call')).toMatchObject({ measured: 2, target: 3 });
    expect(controlledBy(guardFloorOf('session'))).toBe('session');
    expect(find('garbage key: the guard floor\'s µs per call')).toMatchObject({ measured: 4, target: 5 });
    expect(find('garbage token: the guard floor\'s µs per call')).toBeUndefined();
    expect(find('garbage key: guard µs per call')).toMatchObject({ measured: 6, target: 5 });
    expect(controlledBy(refusalFloorOf('refused: garbage cookie'))).toBe('refused: garbage cookie');
  });
});
