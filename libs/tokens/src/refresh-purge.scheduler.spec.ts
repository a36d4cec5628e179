import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { RefreshFamilies } from './refresh-families.service.js';
import { RefreshPurgeScheduler } from './refresh-purge.scheduler.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';

Logger.overrideLogger(false);

const options = (purgeIntervalMs: number) => resolveTokensOptions({ issuer: 'https://auth.test', audience: 'api', purgeIntervalMs });

describe('RefreshPurgeScheduler', () => {
  it('runs on an unref’d timer that never keeps the process alive, and stops with the module', () => {
    const setInterval = jest.spyOn(globalThis, 'setInterval');
    const scheduler = new RefreshPurgeScheduler(options(60_000), { purgeExpired: async () => 0 } as unknown as RefreshFamilies);
    scheduler.onApplicationBootstrap();
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout;
    expect(setInterval).toHaveBeenCalledWith(expect.any(Function), 60_000);
    expect(timer.hasRef()).toBe(false);
    scheduler.onModuleDestroy();
    setInterval.mockRestore();
  });

  it('does not schedule anything when purging is off', () => {
    const setInterval = jest.spyOn(globalThis, 'setInterval');
    new RefreshPurgeScheduler(options(0), { purgeExpired: async () => 0 } as unknown as RefreshFamilies).onApplicationBootstrap();
    expect(setInterval).not.toHaveBeenCalled();
    setInterval.mockRestore();
  });

  it('skips a pass while one is running and survives a failing one', async () => {
    let release: (value: number) => void = () => undefined;
    const purgeExpired = jest.fn<() => Promise<number>>().mockImplementationOnce(() => new Promise<number>((resolve) => (release = resolve)));
    const scheduler = new RefreshPurgeScheduler(options(60_000), { purgeExpired } as unknown as RefreshFamilies);
    const first = scheduler.run();
    expect(await scheduler.run()).toBe(0);
    release(3);
    expect(await first).toBe(3);
    purgeExpired.mockRejectedValueOnce(new Error('database gone'));
    expect(await scheduler.run()).toBe(0);
    expect(purgeExpired).toHaveBeenCalledTimes(2);
  });
});
