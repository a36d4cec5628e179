import { medianRoundRatio, type GoalCheck, type RoundSample, type RowSummary } from './bench-table.js';
import { COLD_CONTROL, FLOOR_COLD, FLOOR_COLD_CONTROL } from './cold-path.js';

/** One server's results: its adapter, the signing algorithm of its tokens, its rows and raw rounds. */
export interface BenchSection {
  adapter: string;
  algorithm: 'EdDSA' | 'ES256';
  rows: readonly RowSummary[];
  samples: readonly RoundSample[];
  /** The guard timed in a loop on one request of each row, in the server after the rounds (guard-meter.ts). */
  loops?: readonly GuardLoop[];
}

/** One row's guard loop: µs per call with warm CPU caches. */
export interface GuardLoop {
  row: string;
  micros: number;
  calls: number;
  deferred: number;
}

/** Guard time per call allowed for a cached credential, per adapter (µs). */
export const GUARD_BUDGET_MICROS: Record<string, number> = { express: 5, fastify: 3 };
/** A refused garbage credential's guard time allowed (µs). */
export const GARBAGE_BUDGET_MICROS = 5;
/** A first-seen token's extra server CPU over a cached one, in sequential `crypto.verify` calls of its algorithm. */
export const COLD_BUDGET_VERIFIES = 1.5;
/** Cached checks' throughput against the shaped public route. */
export const CACHED_MIN_RATIO = 0.95;

export const GARBAGE_ROWS = ['refused: garbage token', 'refused: garbage key', 'refused: garbage cookie'];

/** The cached credential kinds, each with a control: the shaped public route sent the same headers. */
export const CACHED_KINDS = ['jwt', 'session', 'api-key'] as const;

/** The control row of a cached kind: the shaped public route with that row's credential headers. */
export function sameHeaders(kind: string): string {
  return `shaped public (${kind} headers)`;
}

/**
 * The floor row of a cached kind: the same request to `GET /me` under the floor's path, where the
 * least any guard does (headers, one `Map` lookup, the principal attached) takes the guard's place.
 */
export function guardFloorOf(kind: string): string {
  return `guard floor (${kind} headers)`;
}

/** The floor row of a refused row: its request to the floor's route, refused there in the guard's place. */
export function refusalFloorOf(refused: string): string {
  return `guard floor (${refused.replace('refused: ', '')})`;
}

/** The row a control row (same headers, or a guard floor) controls, if `row` is one. */
export function controlledBy(row: string): string | undefined {
  return CACHED_KINDS.find((kind) => sameHeaders(kind) === row || guardFloorOf(kind) === row) ?? GARBAGE_ROWS.find((name) => refusalFloorOf(name) === row);
}

/**
 * The goals of a `npm run bench` run, checked against its own figures: `verifyMicros` is one
 * sequential `crypto.verify` per algorithm, measured in the same run.
 */
export function benchGoals(sections: readonly BenchSection[], verifyMicros: Readonly<Record<string, number>>): GoalCheck[] {
  const checks: GoalCheck[] = [];
  for (const { adapter, algorithm, rows, samples, loops } of sections) {
    const section = algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`;
    const row = (name: string) => rows.find((candidate) => candidate.row === name);
    const loop = (name: string) => loops?.find((candidate) => candidate.row === name)?.micros;
    const floor = verifyMicros[algorithm] ?? Number.NaN;
    const cpu = (name: string) => row(name)?.cpuMicrosPerRequest ?? Number.NaN;
    checks.push({
      section,
      goal: 'first-seen token: server CPU over a cached one',
      measured: (cpu('gatehouse cold') - cpu(COLD_CONTROL)) / floor,
      bound: 'max',
      target: COLD_BUDGET_VERIFIES,
      how: `(µs/req of "gatehouse cold" − "${COLD_CONTROL}") / one sequential ${algorithm} crypto.verify`,
    });
    if (row(FLOOR_COLD) !== undefined && row(FLOOR_COLD_CONTROL) !== undefined) {
      checks.push({
        section,
        goal: "first-seen token: the guard floor's server CPU over its cached one",
        measured: (cpu(FLOOR_COLD) - cpu(FLOOR_COLD_CONTROL)) / floor,
        bound: 'max',
        target: COLD_BUDGET_VERIFIES,
        how: `(µs/req of "${FLOOR_COLD}" − "${FLOOR_COLD_CONTROL}") / one sequential ${algorithm} crypto.verify (not the goal's measure: how far below the target any check can get here, one signature check in the guard's place)`,
      });
    }
    checks.push({
      section,
      goal: 'first-seen token: server CPU over the timed jwt row',
      measured: (cpu('gatehouse cold') - cpu('jwt')) / floor,
      bound: 'max',
      target: COLD_BUDGET_VERIFIES,
      how: `(µs/req of "gatehouse cold" − "jwt") / one sequential ${algorithm} crypto.verify`,
    });
    const guard = (name: string) => row(name)?.guardMicrosPerCall ?? Number.NaN;
    checks.push({
      section,
      goal: 'first-seen token: guard time over a cached one',
      measured: (guard('gatehouse cold') - guard(COLD_CONTROL)) / floor,
      bound: 'max',
      target: COLD_BUDGET_VERIFIES,
      how: `guard µs/call difference / one sequential ${algorithm} crypto.verify`,
    });
    checks.push({
      section,
      goal: 'first-seen token: guard time over a cached one, in verifies timed in the server',
      measured: (guard('gatehouse cold') - guard(COLD_CONTROL)) / (row('gatehouse cold')?.verifyMicrosPerCall ?? Number.NaN),
      bound: 'max',
      target: COLD_BUDGET_VERIFIES,
      how: `guard µs/call difference / one ${algorithm} crypto.verify timed in the server`,
    });
    if (algorithm !== 'EdDSA') continue;
    for (const kind of CACHED_KINDS) {
      checks.push({
        section,
        goal: `${kind}: throughput to the shaped public route`,
        measured: row(kind)?.medianRoundRatioToReference ?? Number.NaN,
        bound: 'min',
        target: CACHED_MIN_RATIO,
        how: 'median of round ratios',
      });
      checks.push({
        section,
        goal: `${kind}: throughput to the shaped public route sent the same headers`,
        measured: medianRoundRatio(samples, kind, sameHeaders(kind)),
        bound: 'min',
        target: CACHED_MIN_RATIO,
        how: 'median of round ratios; the control ignores the credential it is sent',
      });
      checks.push({
        section,
        goal: `${kind}: guard µs per call`,
        measured: row(kind)?.guardMicrosPerCall ?? Number.NaN,
        bound: 'max',
        target: GUARD_BUDGET_MICROS[adapter] ?? GUARD_BUDGET_MICROS.express!,
        how: 'timed in the server',
      });
      if (row(guardFloorOf(kind)) !== undefined) {
        checks.push({
          section,
          goal: `${kind}: the guard floor's µs per call`,
          measured: guard(guardFloorOf(kind)),
          bound: 'max',
          target: GUARD_BUDGET_MICROS[adapter] ?? GUARD_BUDGET_MICROS.express!,
          how: 'timed in the server: the least any guard does, in its place (not the goal\'s measure: how far below the budget any guard can get here)',
        });
      }
      if (loop(kind) !== undefined) {
        checks.push({
          section,
          goal: `${kind}: guard µs per call, warm`,
          measured: loop(kind)!,
          bound: 'max',
          target: GUARD_BUDGET_MICROS[adapter] ?? GUARD_BUDGET_MICROS.express!,
          how: 'in the server, in a loop on one request (not the goal\'s measure: shown beside it)',
        });
      }
    }
    checks.push({
      section,
      goal: 'graphql jwt: throughput to the same query made public',
      measured: medianRoundRatio(samples, 'graphql jwt', 'graphql shaped public'),
      bound: 'min',
      target: CACHED_MIN_RATIO,
      how: 'median of round ratios',
    });
    for (const [subject, recipe] of [
      ['jwt', 'recipe'],
      ['jwt', 'recipe (KeyObject)'],
      ['gatehouse cold', 'recipe'],
    ] as const) {
      checks.push({
        section,
        goal: `${subject === 'jwt' ? 'gatehouse cached' : subject} to ${recipe}`,
        measured: medianRoundRatio(samples, subject, recipe),
        bound: 'min',
        target: 1,
        how: 'median of round ratios (req/s)',
      });
    }
    checks.push({
      section,
      goal: 'bad-signature token over a garbage one',
      measured: (cpu('refused: bad signature') - cpu('refused: garbage token')) / floor,
      bound: 'max',
      target: COLD_BUDGET_VERIFIES,
      how: 'µs/req difference / one crypto.verify',
    });
    for (const name of GARBAGE_ROWS) {
      checks.push({ section, goal: `${name.replace('refused: ', '')}: guard µs per call`, measured: row(name)?.guardMicrosPerCall ?? Number.NaN, bound: 'max', target: GARBAGE_BUDGET_MICROS, how: 'timed in the server' });
      if (row(refusalFloorOf(name)) !== undefined) {
        checks.push({
          section,
          goal: `${name.replace('refused: ', '')}: the guard floor's µs per call`,
          measured: guard(refusalFloorOf(name)),
          bound: 'max',
          target: GARBAGE_BUDGET_MICROS,
          how: 'timed in the server: the least any guard does to refuse it, in its place (not the goal\'s measure: how far below the budget any guard can get here)',
        });
      }
      if (loop(name) !== undefined) {
        checks.push({
          section,
          goal: `${name.replace('refused: ', '')}: guard µs per call, warm`,
          measured: loop(name)!,
          bound: 'max',
          target: GARBAGE_BUDGET_MICROS,
          how: 'in the server, in a loop on one request (not the goal\'s measure: shown beside it)',
        });
      }
    }
  }
  return checks;
}
