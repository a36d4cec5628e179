// The credential check alone: the demo's own GatehouseGuard called in process on the `GET /me`
// route, one request object at a time, with no HTTP server, router or response in the way.
import type { INestApplication } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GatehouseGuard } from '@gatehouse/core';
import { createDemoApp } from '../src/app.factory.js';
import { loadDemoConfig } from '../src/config/demo.config.js';
import { InfoController } from '../src/info/info.controller.js';
import { formatNumber, markdownTable } from './bench-table.js';
import { createApiKey, issueTokens, openSession, registerUser } from './demo-credentials.js';

/** The guard's cost per request for one credential kind (the first result is the public route). */
export interface CheckResult {
  name: string;
  iterations: number;
  microsPerCheck: number;
}

/** Requests share one prototype, as Express's and Fastify's do. */
const requestPrototype = { get protocol() { return 'http'; } };

function fakeRequest(url: string, headers: Record<string, string>): object {
  return Object.assign(Object.create(requestPrototype) as object, { method: 'GET', url, headers, ip: '127.0.0.1', socket: { remoteAddress: '127.0.0.1' } });
}

/** Mean µs per call over `iterations`, the median of `blocks` timed blocks. */
function time(iterations: number, blocks: number, operation: () => unknown): number {
  for (let i = 0; i < iterations; i += 1) operation();
  const means: number[] = [];
  for (let block = 0; block < blocks; block += 1) {
    const started = performance.now();
    for (let i = 0; i < iterations; i += 1) operation();
    means.push(((performance.now() - started) * 1000) / iterations);
  }
  means.sort((a, b) => a - b);
  return means[Math.floor(means.length / 2)]!;
}

/**
 * Starts the demo in this process (loopback, its own SQLite folder), obtains one credential of each
 * kind over HTTP, then times `GatehouseGuard.canActivate` for `GET /me` with each, after one call
 * has filled the caches. Every call gets a fresh request object, as a real request would.
 */
export async function checkMicroBench(iterations: number, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-check-'));
  let app: INestApplication | undefined;
  try {
    app = await createDemoApp({
      config: loadDemoConfig({ ...env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'check.sqlite')}` }),
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const user = await registerUser(base);
    const bearer = { authorization: `Bearer ${(await issueTokens(base, user)).accessToken}` };
    const kinds: Array<[string, string, Record<string, string>]> = [
      ['public route (no check)', '/', {}],
      ['jwt (cached token)', '/me', bearer],
      ['session (cached session)', '/me', { cookie: (await openSession(base, user)).cookie }],
      ['api-key (cached key)', '/me', { 'x-api-key': await createApiKey(base, bearer) }],
    ];
    const guard = app.get(GatehouseGuard);
    const controller = app.get(InfoController);
    const results: CheckResult[] = [];
    for (const [name, url, headers] of kinds) {
      const handler = url === '/' ? controller.info : controller.me;
      const context = () => new ExecutionContextHost([fakeRequest(url, headers), {}, () => undefined], InfoController, handler);
      // The first call fills the caches (and may wait for the database).
      if ((await guard.canActivate(context())) !== true) throw new Error(`${name}: refused`);
      const check = () => {
        const allowed = guard.canActivate(context());
        if (allowed !== true) throw new Error(`${name}: the guard did not answer synchronously with true`);
      };
      results.push({ name, iterations, microsPerCheck: time(iterations, 5, check) });
    }
    return results;
  } finally {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function checkTable(results: readonly CheckResult[]): string {
  const publicCost = results[0]?.microsPerCheck ?? 0;
  return markdownTable(
    ['GatehouseGuard on GET /me (in process, sequential)', 'calls per block', 'µs/request', 'µs over the public route'],
    results.map((r, index) => [r.name, formatNumber(r.iterations), formatNumber(r.microsPerCheck, 2), index === 0 ? '' : formatNumber(r.microsPerCheck - publicCost, 2)]),
    ['left', 'right', 'right', 'right'],
  );
}
