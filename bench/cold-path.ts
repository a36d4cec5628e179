import type { BenchSection } from './bench-goals.js';
import { formatNumber, formatSigned, markdownTable } from './bench-table.js';

/** The cold row's control: the cached token under the cold row's load pattern. */
export const COLD_CONTROL = 'jwt (cold-shaped load)';
/** The cold row's tokens sent to the guard floor, which checks each one's signature in the guard's place and nothing else. */
export const FLOOR_COLD = 'guard floor (first-seen token)';
/** Its control: the cached token under the same load, to the guard floor. */
export const FLOOR_COLD_CONTROL = 'guard floor (cold-shaped load)';

/** One server's first-seen-token figures, all from the same run. */
export interface ColdPathRow {
  section: string;
  algorithm: string;
  /** Server CPU per request of "gatehouse cold" over its control, and over the timed "jwt" row. */
  overControlMicros: number;
  overJwtMicros: number;
  /**
   * The same extra split by thread (NaN where the server could not split its CPU): the main
   * thread's, its garbage-collection pauses, and the other threads' (V8's workers, libuv's pool).
   */
  mainThreadOverControlMicros: number;
  gcOverControlMicros: number;
  otherThreadsOverControlMicros: number;
  /** The extra time in the kernel, any thread (across the split above; NaN where not measured). */
  systemOverControlMicros: number;
  /** The guard's own time per call: first-seen and cached (control) tokens. */
  coldGuardMicros: number;
  cachedGuardMicros: number;
  /** One `crypto.verify` timed inside the server during the cold rounds, and sequentially in the micro-benchmark. */
  inServerVerifyMicros: number;
  sequentialVerifyMicros: number;
}

/** The first-seen-token figures of every section that ran the cold row and its control. */
export function coldPathRows(sections: readonly BenchSection[], verifyMicros: Readonly<Record<string, number>>): ColdPathRow[] {
  const result: ColdPathRow[] = [];
  for (const { adapter, algorithm, rows } of sections) {
    const row = (name: string) => rows.find((candidate) => candidate.row === name);
    const cold = row('gatehouse cold');
    const control = row(COLD_CONTROL);
    if (!cold || !control) continue;
    result.push({
      section: algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`,
      algorithm,
      overControlMicros: cold.cpuMicrosPerRequest - control.cpuMicrosPerRequest,
      overJwtMicros: cold.cpuMicrosPerRequest - (row('jwt')?.cpuMicrosPerRequest ?? Number.NaN),
      mainThreadOverControlMicros: cold.mainThreadMicrosPerRequest - control.mainThreadMicrosPerRequest,
      gcOverControlMicros: cold.gcMicrosPerRequest - control.gcMicrosPerRequest,
      otherThreadsOverControlMicros:
        cold.cpuMicrosPerRequest - cold.mainThreadMicrosPerRequest - (control.cpuMicrosPerRequest - control.mainThreadMicrosPerRequest),
      systemOverControlMicros: cold.systemMicrosPerRequest - control.systemMicrosPerRequest,
      coldGuardMicros: cold.guardMicrosPerCall,
      cachedGuardMicros: control.guardMicrosPerCall,
      inServerVerifyMicros: cold.verifyMicrosPerCall,
      sequentialVerifyMicros: verifyMicros[algorithm] ?? Number.NaN,
    });
  }
  return result;
}

/**
 * Where a first-seen token's cost goes: the server's extra CPU per request, the guard's extra
 * time per call, and how much of it is the signature check itself (timed in the server), each
 * in sequential verifies of the same run.
 */
export function coldPathServerTable(rows: readonly ColdPathRow[]): string {
  return markdownTable(
    [
      'server',
      'CPU µs/req over control',
      '× seq. verify',
      'CPU µs/req over "jwt"',
      '× seq. verify',
      'guard µs/call: cold − cached',
      '× seq. verify',
      'crypto.verify µs in server',
      'seq. verify µs',
      'in server ÷ seq.',
      'guard minus in-server verify, µs',
    ],
    rows.map((row) => {
      const perVerify = (micros: number) => formatNumber(micros / row.sequentialVerifyMicros, 2);
      const guardExtra = row.coldGuardMicros - row.cachedGuardMicros;
      return [
        row.section,
        formatSigned(row.overControlMicros, 1),
        perVerify(row.overControlMicros),
        formatSigned(row.overJwtMicros, 1),
        perVerify(row.overJwtMicros),
        formatSigned(guardExtra, 1),
        perVerify(guardExtra),
        formatNumber(row.inServerVerifyMicros, 1),
        formatNumber(row.sequentialVerifyMicros, 1),
        formatNumber(row.inServerVerifyMicros / row.sequentialVerifyMicros, 2),
        formatSigned(guardExtra - row.inServerVerifyMicros, 1),
      ];
    }),
    ['left', ...Array.from({ length: 10 }, () => 'right' as const)],
  );
}

/**
 * The first-seen token's extra server CPU over its control, split where it is spent: the guard's
 * extra time per call, the main thread's extra garbage-collection pauses, the rest of the main
 * thread (the request pipeline around the guard), and the other threads (V8's concurrent marking,
 * parallel scavenging and compilation; libuv's pool). A pause that falls inside a guard call is in
 * the guard's time too, so the rest is a lower bound. Across that split, the extra time in the
 * kernel (the socket reads and writes, mostly on the main thread, and the wake-ups of the load
 * generator waiting on them). Empty when no server split its CPU by thread.
 */
export function coldPathThreadsTable(rows: readonly ColdPathRow[]): string {
  const split = rows.filter((row) => Number.isFinite(row.mainThreadOverControlMicros));
  if (split.length === 0) return '';
  return markdownTable(
    ['server', 'CPU µs/req over control', 'guard: cold − cached', 'GC pauses', 'rest of the main thread', 'other threads', 'of the total, in the kernel'],
    split.map((row) => {
      const guardExtra = row.coldGuardMicros - row.cachedGuardMicros;
      return [
        row.section,
        formatSigned(row.overControlMicros, 1),
        formatSigned(guardExtra, 1),
        formatSigned(row.gcOverControlMicros, 1),
        formatSigned(row.mainThreadOverControlMicros - guardExtra - row.gcOverControlMicros, 1),
        formatSigned(row.otherThreadsOverControlMicros, 1),
        formatSigned(row.systemOverControlMicros, 1),
      ];
    }),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}
