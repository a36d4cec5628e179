import { readFileSync } from 'node:fs';

/** The machine's CPU time by kind, summed over its CPUs, from the `cpu` line of /proc/stat (in clock ticks). */
export interface CpuTimes {
  /** Every kind but guest time (already inside user): user, nice, system, idle, iowait, irq, softirq, steal. */
  total: number;
  /** Time the hypervisor ran something else while this machine's virtual CPUs wanted to run. */
  steal: number;
}

/** Parses the aggregate `cpu` line of /proc/stat; undefined when there is none or it lacks the steal field. */
export function parseCpuTimes(procStat: string): CpuTimes | undefined {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((value) => !Number.isFinite(value))) return undefined;
  return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7]! };
}

/** The machine's CPU times now, or undefined off Linux. */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseCpuTimes(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU time the hypervisor took between two readings (0 to 1), or undefined. */
export function stealShare(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  const total = after.total - before.total;
  return total > 0 ? (after.steal - before.steal) / total : undefined;
}
