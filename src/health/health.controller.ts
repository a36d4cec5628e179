import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { GatehouseCache, Public } from '@gatehouse/core';

interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  cache: 'up' | 'down';
}

const withTimeout = <T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([promise.catch(() => fallback), new Promise<T>((resolve) => setTimeout(resolve, ms, fallback).unref())]);

/** `GET /health`: 200 when the database and the cache answer, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatehouseCache) private readonly cache: GatehouseCache,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Public()
  @Get()
  @HttpCode(200)
  async check(@Res({ passthrough: true }) response: unknown): Promise<HealthReport> {
    const [database, cache] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1').then(() => true), 2_000, false),
      withTimeout(this.cache.isReady(), 2_000, false),
    ]);
    const report: HealthReport = { status: database && cache ? 'ok' : 'unavailable', database: database ? 'up' : 'down', cache: cache ? 'up' : 'down' };
    if (report.status !== 'ok') this.adapterHost.httpAdapter.status(response, 503);
    this.adapterHost.httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
    return report;
  }
}
