/** One measured round of one row: what the load generator saw and the server's CPU time during it. */
export interface RoundSample {
  row: string;
  /** Completed requests. */
  requests: number;
  /** Wall-clock length of the round, in seconds. */
  seconds: number;
  /** Server CPU time (user + system) spent during the round, in microseconds. */
  cpuMicros: number;
  /** Responses that were not 2xx (a broken credential shows up here, not as speed). */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
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
  /** Server CPU per request above the baseline's: what authentication costs. */
  extraMicrosPerRequest: number;
  non2xx: number;
  errors: number;
}

/**
 * Adds up the rounds of each row and relates every row to the baseline. Rows keep the order in
 * which they first appear. Totals are summed before dividing, so a short round weighs less than a
 * long one instead of averaging per-round rates.
 */
export function summarizeRounds(samples: readonly RoundSample[], baseline = 'public'): RowSummary[] {
  const byRow = new Map<string, { rounds: number; requests: number; seconds: number; cpuMicros: number; non2xx: number; errors: number }>();
  for (const sample of samples) {
    const total = byRow.get(sample.row) ?? { rounds: 0, requests: 0, seconds: 0, cpuMicros: 0, non2xx: 0, errors: 0 };
    total.rounds += 1;
    total.requests += sample.requests;
    total.seconds += sample.seconds;
    total.cpuMicros += sample.cpuMicros;
    total.non2xx += sample.non2xx;
    total.errors += sample.errors;
    byRow.set(sample.row, total);
  }
  const rate = (t: { requests: number; seconds: number }) => (t.seconds > 0 ? t.requests / t.seconds : 0);
  const perRequest = (t: { requests: number; cpuMicros: number }) => (t.requests > 0 ? t.cpuMicros / t.requests : 0);
  const base = byRow.get(baseline);
  const baseRate = base ? rate(base) : 0;
  const baseRounds = samples.filter((sample) => sample.row === baseline);
  const roundRatios = (row: string) =>
    samples
      .filter((sample) => sample.row === row)
      .slice(0, baseRounds.length)
      .map((sample, round) => rate(sample) / rate(baseRounds[round]!))
      .filter(Number.isFinite);
  const baseCpu = base ? perRequest(base) : 0;
  return [...byRow].map(([row, total]) => ({
    row,
    rounds: total.rounds,
    requests: total.requests,
    reqPerSec: rate(total),
    ratio: baseRate > 0 ? rate(total) / baseRate : Number.NaN,
    medianRoundRatio: median(roundRatios(row)),
    cpuMicrosPerRequest: perRequest(total),
    extraMicrosPerRequest: base ? perRequest(total) - baseCpu : Number.NaN,
    non2xx: total.non2xx,
    errors: total.errors,
  }));
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

/** The result table of a load benchmark: one block of rows per adapter. */
export function loadTable(sections: ReadonlyArray<{ adapter: string; rows: readonly RowSummary[] }>, baseline = 'public'): string {
  const header = ['adapter', 'row', 'req/s', `vs ${baseline}`, 'median of round ratios', 'server CPU µs/req', `µs/req over ${baseline}`, 'non-2xx / errors'];
  const rows = sections.flatMap(({ adapter, rows: summaries }) =>
    summaries.map((s) => [
      adapter,
      s.row,
      formatNumber(s.reqPerSec),
      s.row === baseline ? '1.00' : formatNumber(s.ratio, 2),
      s.row === baseline ? '1.00' : formatNumber(s.medianRoundRatio, 2),
      formatNumber(s.cpuMicrosPerRequest, 1),
      s.row === baseline ? '' : formatSigned(s.extraMicrosPerRequest, 1),
      `${s.non2xx} / ${s.errors}`,
    ]),
  );
  return markdownTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']);
}
