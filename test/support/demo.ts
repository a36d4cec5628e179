import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { ManualClock } from '@gatehouse/core';
import { createDemoApp } from '../../src/app.factory.js';
import { loadDemoConfig, type DemoConfig } from '../../src/config/demo.config.js';
import type { AdapterName } from './adapters.js';
import { provisionDatabase, type TestDatabase } from './database.js';

/**
 * nestjs-pino builds one pino-http instance per process, so every app in a test file writes to the
 * first stream it was given: one sink for the process hands each line to every running demo.
 */
const activeLogs = new Set<string[]>();
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    const lines = chunk.toString('utf8').split('\n').filter(Boolean);
    for (const logs of activeLogs) logs.push(...lines);
    done();
  },
});

/** A running demo app for one e2e scenario. */
export interface RunningDemo {
  app: INestApplication;
  /** The HTTP server, for supertest: `request(demo.http)`. */
  http: ReturnType<INestApplication['getHttpServer']>;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  clock: ManualClock;
  config: DemoConfig;
  database: TestDatabase;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  /** Closes the app, then drops its database unless `keepDatabase` (for a restart test). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StartDemoOptions {
  /** Extra environment values, as the demo would read them (e.g. `{ API_KEY_RATE_LIMIT: '3/60' }`). */
  env?: Record<string, string>;
  /** Reuse a database (and data folder) from an earlier app, e.g. two instances or a restart. */
  database?: TestDatabase;
  /** Share a Redis key prefix with another app (two instances); default: a fresh one per app. */
  redisKeyPrefix?: string;
  /** Start the clock here (epoch ms); default: now. */
  now?: number;
  /** Share a clock with another app. */
  clock?: ManualClock;
  /** Listen on this loopback port (e.g. one `freePort()` gave, to put it in `PUBLIC_ORIGIN` first); default: any. */
  port?: number;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the whole demo on `adapter` with a fresh database (SQLite temp file, or a new PostgreSQL
 * database when `DATABASE_URL` is set), Redis when `REDIS_URL` is set (with a unique key prefix),
 * a `ManualClock`, rate limits on, and logs captured in memory.
 */
export async function startDemo(adapter: AdapterName, options: StartDemoOptions = {}): Promise<RunningDemo> {
  const database = options.database ?? (await provisionDatabase());
  const clock = options.clock ?? new ManualClock(options.now ?? Date.now());
  const config = loadDemoConfig({
    HTTP_ADAPTER: adapter,
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    LOG_LEVEL: 'info',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    REDIS_KEY_PREFIX: options.redisKeyPrefix ?? `gatehouse-test-${randomBytes(6).toString('hex')}:`,
    ...options.env,
  });
  const logs: string[] = [];
  activeLogs.add(logs);
  const app = await createDemoApp({ config, clock, logStream: logSink });
  await app.listen(options.port ?? 0, '127.0.0.1');
  if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    http: app.getHttpServer(),
    url: `http://127.0.0.1:${address.port}`,
    clock,
    config,
    database,
    logs,
    close: async ({ keepDatabase = false } = {}) => {
      await app.close();
      activeLogs.delete(logs);
      if (!keepDatabase) await database.drop();
    },
  };
}

/**
 * Another instance beside `first`: the same database, data folder, Redis key prefix and clock,
 * as a second replica behind a load balancer would have. Close it with `{ keepDatabase: true }`
 * and let `first` drop the database.
 */
export function startSibling(first: RunningDemo, env: Record<string, string> = {}): Promise<RunningDemo> {
  return startDemo(first.config.adapter, { env, database: first.database, redisKeyPrefix: first.config.redisKeyPrefix, clock: first.clock });
}
