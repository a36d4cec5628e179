import type { GuardStepReading } from './guard-steps.js';

/** One measured round of one row: what the load generator saw and the server's CPU time during it. */
export interface RoundSample {
  row: string;
  /** Completed requests. */
  requests: number;
  /** Wall-clock length of the round, in seconds. */
  seconds: number;
  /** Server CPU time (user + system) spent during the round, in microseconds. */
  cpuMicros: number;
  /** The system (kernel) part of `cpuMicros`. */
  systemMicros?: number;
  /** The main thread's share of `cpuMicros` (Linux only). */
  mainThreadMicros?: number;
  /** The server's main-thread garbage-collection pauses during the round, in microseconds. */
  gcMicros?: number;
  /** Major (mark-compact) collections that ended during the round. */
  majorGcs?: number;
  /** Responses that were not 2xx (a broken credential shows up here, not as speed). */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** In-server guard meter over the round (see guard-meter.ts), when the server has one. */
  guardMicros?: number;
  guardCalls?: number;
  guardDeferred?: number;
  /** In-server `crypto.verify` meter over the round. */
  verifyMicros?: number;
  verifyCalls?: number;
  /** The guard's steps over the round (`BENCH_GUARD_STEPS=1`, guard-steps.ts). */
  guardSteps?: GuardStepReading;
}

/** A row of the result table: every round of that row added up. */
export interface RowSummary {
  row: string;
  rounds: number;
  requests: number;
  reqPerSec: number;
  /** Throughput relative to the baseline row (1 for the baseline itself). */
  ratio: number;
  /**
   * The median over rounds of this row's throughput relative to the baseline's in the same round:
   * robust to a round that a noisy machine slowed down.
   */
  medianRoundRatio: number;
  cpuMicrosPerRequest: number;
  /** The system (kernel) part of the server CPU per request, any thread (NaN when not measured). */
  systemMicrosPerRequest: number;
  /** The main thread's share of the server CPU per request; the rest is the other threads' (NaN when not measured). */
  mainThreadMicrosPerRequest: number;
  /** The server's main-thread garbage-collection pauses per request (NaN when not measured). */
  gcMicrosPerRequest: number;
  /** Server CPU per request above the baseline's: what authentication costs. */
  extraMicrosPerRequest: number;
  /** Like `medianRoundRatio`, against the reference row (NaN without one). */
  medianRoundRatioToReference: number;
  /** Server CPU per request above the reference row's (NaN without one). */
  extraMicrosOverReference: number;
  /** Mean time of a synchronous `GatehouseGuard.canActivate` inside the server (NaN when none was timed). */
  guardMicrosPerCall: number;
  /** Guard calls that returned a promise (timed until they returned it). */
  guardDeferred: number;
  /** Mean time of one `crypto.verify` inside the server (NaN when the row made none). */
  verifyMicrosPerCall: number;
  /** `crypto.verify` calls per request. */
  verifyCallsPerRequest: number;
  non2xx: number;
  errors: number;
}

interface RowTotal {
  rounds: number;
  requests: number;
  seconds: number;
  cpuMicros: number;
  systemMicros: number;
  systemRounds: number;
  mainThreadMicros: number;
  mainThreadRounds: number;
  gcMicros: number;
  gcRounds: number;
  non2xx: number;
  errors: number;
  guardMicros: number;
  guardCalls: number;
  guardDeferred: number;
  verifyMicros: number;
  verifyCalls: number;
}

/**
 * Adds up the rounds of each row and relates every row to the baseline (and to the reference row,
 * when there is one). Rows keep the order in which they first appear. Totals are summed before
 * dividing, so a short round weighs less than a long one instead of averaging per-round rates.
 */
export function summarizeRounds(samples: readonly RoundSample[], baseline = 'public', reference?: string): RowSummary[] {
  const byRow = new Map<string, RowTotal>();
  for (const sample of samples) {
    const total = byRow.get(sample.row) ?? { rounds: 0, requests: 0, seconds: 0, cpuMicros: 0, systemMicros: 0, systemRounds: 0, mainThreadMicros: 0, mainThreadRounds: 0, gcMicros: 0, gcRounds: 0, non2xx: 0, errors: 0, guardMicros: 0, guardCalls: 0, guardDeferred: 0, verifyMicros: 0, verifyCalls: 0 };
    total.rounds += 1;
    total.requests += sample.requests;
    total.seconds += sample.seconds;
    total.cpuMicros += sample.cpuMicros;
    if (sample.systemMicros !== undefined) {
      total.systemMicros += sample.systemMicros;
      total.systemRounds += 1;
    }
    if (sample.mainThreadMicros !== undefined) {
      total.mainThreadMicros += sample.mainThreadMicros;
      total.mainThreadRounds += 1;
    }
    if (sample.gcMicros !== undefined) {
      total.gcMicros += sample.gcMicros;
      total.gcRounds += 1;
    }
    total.non2xx += sample.non2xx;
    total.errors += sample.errors;
    total.guardMicros += sample.guardMicros ?? 0;
    total.guardCalls += sample.guardCalls ?? 0;
    total.guardDeferred += sample.guardDeferred ?? 0;
    total.verifyMicros += sample.verifyMicros ?? 0;
    total.verifyCalls += sample.verifyCalls ?? 0;
    byRow.set(sample.row, total);
  }
  const perRequest = (t: { requests: number; cpuMicros: number }) => (t.requests > 0 ? t.cpuMicros / t.requests : 0);
  const medianRatio = (row: string, to: string | undefined) => (to === undefined ? Number.NaN : medianRoundRatio(samples, row, to));
  const base = byRow.get(baseline);
  const baseRate = base ? rate(base) : 0;
  const ref = reference === undefined ? undefined : byRow.get(reference);
  return [...byRow].map(([row, total]) => ({
    row,
    rounds: total.rounds,
    requests: total.requests,
    reqPerSec: rate(total),
    ratio: baseRate > 0 ? rate(total) / baseRate : Number.NaN,
    medianRoundRatio: medianRatio(row, baseline),
    cpuMicrosPerRequest: perRequest(total),
    systemMicrosPerRequest: total.systemRounds === total.rounds && total.requests > 0 ? total.systemMicros / total.requests : Number.NaN,
    mainThreadMicrosPerRequest: total.mainThreadRounds === total.rounds && total.requests > 0 ? total.mainThreadMicros / total.requests : Number.NaN,
    gcMicrosPerRequest: total.gcRounds === total.rounds && total.requests > 0 ? total.gcMicros / total.requests : Number.NaN,
    extraMicrosPerRequest: base ? perRequest(total) - perRequest(base) : Number.NaN,
    medianRoundRatioToReference: ref ? medianRatio(row, reference) : Number.NaN,
    extraMicrosOverReference: ref ? perRequest(total) - perRequest(ref) : Number.NaN,
    guardMicrosPerCall: total.guardCalls > 0 ? total.guardMicros / total.guardCalls : Number.NaN,
    guardDeferred: total.guardDeferred,
    verifyMicrosPerCall: total.verifyCalls > 0 ? total.verifyMicros / total.verifyCalls : Number.NaN,
    verifyCallsPerRequest: total.requests > 0 ? total.verifyCalls / total.requests : 0,
    non2xx: total.non2xx,
    errors: total.errors,
  }));
}

const rate = (t: { requests: number; seconds: number }) => (t.seconds > 0 ? t.requests / t.seconds : 0);

/**
 * The median over rounds of `row`'s throughput over `against`'s in the same round (the n-th round
 * of one with the n-th of the other): NaN when either row is missing.
 */
export function medianRoundRatio(samples: readonly RoundSample[], row: string, against: string): number {
  const roundsOf = (name: string) => samples.filter((sample) => sample.row === name);
  const others = roundsOf(against);
  return median(
    roundsOf(row)
      .slice(0, others.length)
      .map((sample, round) => rate(sample) / rate(others[round]!))
      .filter(Number.isFinite),
  );
}

/** One goal checked against a run: what was measured, the bound, and whether it held. */
export interface GoalCheck {
  section: string;
  goal: string;
  measured: number;
  /** `max`: measured must be at most `target`; `min`: at least. */
  bound: 'max' | 'min';
  target: number;
  /** How the measured value was obtained, in a few words. */
  how: string;
}

/** Whether a goal held; undefined when nothing was measured (NaN). */
export function goalMet(check: GoalCheck): boolean | undefined {
  if (!Number.isFinite(check.measured)) return undefined;
  return check.bound === 'max' ? check.measured <= check.target : check.measured >= check.target;
}

/** The goals as a markdown table: measured value, the bound, and yes / NO / – (not measured). */
export function goalsTable(checks: readonly GoalCheck[]): string {
  return markdownTable(
    ['section', 'goal', 'measured', 'target', 'met', 'how'],
    checks.map((check) => {
      const met = goalMet(check);
      return [
        check.section,
        check.goal,
        formatNumber(check.measured, 2),
        `${check.bound === 'max' ? '≤' : '≥'} ${formatNumber(check.target, 2)}`,
        met === undefined ? '–' : met ? 'yes' : 'NO',
        check.how,
      ];
    }),
    ['left', 'left', 'right', 'right', 'left', 'left'],
  );
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `1234.5` → `1,235`; NaN → `–`. */
export function formatNumber(value: number, fractionDigits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

/** `+12.3` / `-0.4` / `0.0` for differences. */
export function formatSigned(value: number, fractionDigits = 1): string {
  if (!Number.isFinite(value)) return '–';
  const text = formatNumber(Math.abs(value), fractionDigits);
  if (Number(text.replace(/,/g, '')) === 0) return formatNumber(0, fractionDigits);
  return `${value < 0 ? '-' : '+'}${text}`;
}

/** A markdown table; cells are written as given, pipes escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'left' | 'right'>): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rule = header.map((_, i) => ((align?.[i] ?? 'left') === 'right' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.map(cell).join(' | ')} |`).join('\n');
}

/**
 * The guard meter's cell: the mean call until it returned, with the count of calls that returned a
 * promise (a refusal, or a credential loaded from the database, whose wait is not in the mean);
 * "awaits" when no call was timed.
 */
function guardCell(summary: RowSummary): string {
  if (!Number.isFinite(summary.guardMicrosPerCall)) return summary.guardDeferred > 0 ? 'awaits (not timed)' : '–';
  const mean = formatNumber(summary.guardMicrosPerCall, 2);
  return summary.guardDeferred > 0 ? `${mean} (${formatNumber(summary.guardDeferred)} by promise)` : mean;
}

/**
 * The result table of a load benchmark: one block of rows per adapter. With `reference` (a row
 * name), two more columns relate each row to it; the guard column appears when a server had the
 * guard meter.
 */
export function loadTable(sections: ReadonlyArray<{ adapter: string; rows: readonly RowSummary[] }>, baseline = 'public', reference?: string): string {
  const summaries = sections.flatMap(({ rows }) => rows);
  const withReference = reference !== undefined && summaries.some((s) => s.row === reference);
  const withGuard = summaries.some((s) => Number.isFinite(s.guardMicrosPerCall) || s.guardDeferred > 0);
  const header = [
    'adapter',
    'row',
    'req/s',
    `vs ${baseline}`,
    'median of round ratios',
    ...(withReference ? [`median of round ratios to ${reference}`] : []),
    'server CPU µs/req',
    `µs/req over ${baseline}`,
    ...(withReference ? [`µs/req over ${reference}`] : []),
    ...(withGuard ? ['guard µs/call in the server'] : []),
    'non-2xx / errors',
  ];
  const rows = sections.flatMap(({ adapter, rows: rowSummaries }) =>
    rowSummaries.map((s) => [
      adapter,
      s.row,
      formatNumber(s.reqPerSec),
      s.row === baseline ? '1.00' : formatNumber(s.ratio, 2),
      s.row === baseline ? '1.00' : formatNumber(s.medianRoundRatio, 2),
      ...(withReference ? [s.row === reference ? '1.00' : formatNumber(s.medianRoundRatioToReference, 2)] : []),
      formatNumber(s.cpuMicrosPerRequest, 1),
      s.row === baseline ? '' : formatSigned(s.extraMicrosPerRequest, 1),
      ...(withReference ? [s.row === reference ? '' : formatSigned(s.extraMicrosOverReference, 1)] : []),
      ...(withGuard ? [guardCell(s)] : []),
      `${s.non2xx} / ${s.errors}`,
    ]),
  );
  return markdownTable(header, rows, ['left', 'left', ...header.slice(2).map(() => 'right' as const)]);
}

/**
 * Where each row's server CPU goes: the main thread (of which its garbage-collection pauses and
 * the guard's time) and the other threads (V8's workers and libuv's pool); and, across that split,
 * the time in the kernel (mostly the main thread's socket reads and writes). Empty when the servers
 * could not split their CPU by thread.
 */
export function cpuByThreadTable(sections: ReadonlyArray<{ adapter: string; rows: readonly RowSummary[] }>): string {
  const measured = sections.flatMap(({ adapter, rows }) =>
    rows.filter((s) => Number.isFinite(s.mainThreadMicrosPerRequest)).map((s) => ({ adapter, s })),
  );
  if (measured.length === 0) return '';
  return markdownTable(
    ['adapter', 'row', 'server CPU µs/req', 'main thread µs/req', 'of which GC pauses', 'of which the guard', 'other threads µs/req', 'in the kernel, any thread'],
    measured.map(({ adapter, s }) => [
      adapter,
      s.row,
      formatNumber(s.cpuMicrosPerRequest, 1),
      formatNumber(s.mainThreadMicrosPerRequest, 1),
      formatNumber(s.gcMicrosPerRequest, 1),
      formatNumber(s.guardMicrosPerCall, 1),
      formatNumber(s.cpuMicrosPerRequest - s.mainThreadMicrosPerRequest, 1),
      formatNumber(s.systemMicrosPerRequest, 1),
    ]),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/**
 * Which rows' measured rounds a major (mark-compact) collection ended in, and how many: with no
 * forced collection between rounds, that is where the heap's growth was paid for. Empty when the
 * server did not count them.
 */
export function majorCollectionsNote(samples: readonly RoundSample[]): string {
  if (samples.length === 0 || samples.some((sample) => sample.majorGcs === undefined)) return '';
  const byRow = new Map<string, number>();
  for (const { row, majorGcs } of samples) if (majorGcs! > 0) byRow.set(row, (byRow.get(row) ?? 0) + majorGcs!);
  if (byRow.size === 0) return 'no major garbage collection ended during a measured round';
  const total = [...byRow.values()].reduce((sum, count) => sum + count, 0);
  const rows = [...byRow].map(([row, count]) => `${row} ${count}`).join(', ');
  return `${total} major garbage collection${total === 1 ? '' : 's'} ended during measured rounds (${rows})`;
}
