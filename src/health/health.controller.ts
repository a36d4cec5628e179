import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { DurableRevocationStore, GatehouseCache, Public, RevocationStore } from '@gatehouse/core';

interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  database: 'up' | 'down';
  /** `degraded`: Redis is unreachable; the instance serves on, with per-instance caches and limits. */
  cache: 'up' | 'degraded';
  /** `stale`: no Redis pub/sub and no recent database poll; credentials are refused (503). */
  revocations: 'fresh' | 'stale';
}

const withTimeout = <T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([promise.catch(() => fallback), new Promise<T>((resolve) => setTimeout(resolve, ms, fallback).unref())]);

/**
 * `GET /health`: 503 when this instance cannot serve (database down, or revocations it cannot
 * vouch for), so a load balancer routes around it. Redis down alone is 200 `degraded`: every
 * instance shares that Redis, and all of them serving on (revocations from the database, limits
 * in memory) beats a balancer taking every instance out at once.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatehouseCache) private readonly cache: GatehouseCache,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Public()
  @Get()
  @HttpCode(200)
  async check(@Res({ passthrough: true }) response: unknown): Promise<HealthReport> {
    const [database, cache] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1').then(() => true), 2_000, false),
      withTimeout(this.cache.isReady(), 1_000, false),
    ]);
    const fresh = this.revocations instanceof DurableRevocationStore ? this.revocations.status().fresh : true;
    const serving = database && fresh;
    const report: HealthReport = {
      status: serving ? (cache ? 'ok' : 'degraded') : 'unavailable',
      database: database ? 'up' : 'down',
      cache: cache ? 'up' : 'degraded',
      revocations: fresh ? 'fresh' : 'stale',
    };
    if (!serving) this.adapterHost.httpAdapter.status(response, 503);
    this.adapterHost.httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
    return report;
  }
}
