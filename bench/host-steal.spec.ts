import { parseCpuTimes, stealShare } from './host-steal.js';

const procStat = (user: number, idle: number, steal: number) =>
  `cpu  ${user} 0 100 ${idle} 5 0 20 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2 3\n`;

describe('host steal', () => {
  it('reads the aggregate cpu line: every kind but guest time, and steal', () => {
    expect(parseCpuTimes(procStat(1_000, 2_000, 50))).toEqual({ total: 1_000 + 100 + 2_000 + 5 + 20 + 50, steal: 50 });
  });

  it('gives the share of the machine the hypervisor took between two readings', () => {
    const before = parseCpuTimes(procStat(1_000, 2_000, 50));
    const after = parseCpuTimes(procStat(1_600, 2_300, 150));
    // 600 + 300 + 100 ticks passed, 100 of them stolen.
    expect(stealShare(before, after)).toBeCloseTo(0.1, 10);
  });

  it('has no figure without the steal field, without the line, or without time passing', () => {
    expect(parseCpuTimes('cpu  1 2 3 4\n')).toBeUndefined();
    expect(parseCpuTimes('intr 1 2 3\n')).toBeUndefined();
    const reading = parseCpuTimes(procStat(1, 2, 3));
    expect(stealShare(reading, reading)).toBeUndefined();
    expect(stealShare(undefined, reading)).toBeUndefined();
  });
});
