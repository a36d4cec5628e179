// The scale part of `npm run bench`: refresh rotations and session logins per second with
// concurrent clients against the built demo (SQLite, and PostgreSQL when one answers), then, in
// process, the memory of one cached access token and the cache's hit rate when live tokens
// outnumber its entries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ManualClock, MemoryRevocationStore } from '@gatehouse/core';
import { AccessTokenIssuer, AccessTokenVerifier, KeyRing, resolveTokensOptions } from '@gatehouse/tokens';
import { VerifiedTokenCache, type VerifiedToken } from '@gatehouse/tokens/testing';
import { envNumber, startServer, type BenchServer } from './bench-harness.js';
import { formatNumber, markdownTable } from './bench-table.js';
import { issueTokens, registerUser, type BenchUser } from './demo-credentials.js';
import { verifySync } from './verify-micro.js';

const SERVER_ENTRY = fileURLToPath(new URL('./demo-server.js', import.meta.url));
const SCALE_SECONDS = envNumber('BENCH_SCALE_SECONDS', 3, 1, 30);
/** Each rate first runs this long unmeasured, so the server's code is compiled before it is timed. */
const SCALE_WARMUP_SECONDS = envNumber('BENCH_SCALE_WARMUP_SECONDS', 1, 0, 30);
const REFRESH_CLIENTS = envNumber('BENCH_REFRESH_CLIENTS', 8, 1, 64);
const LOGIN_CLIENTS = envNumber('BENCH_LOGIN_CLIENTS', 4, 1, 64);
/** The local test server `npm run test:services` uses: measured when it answers, unless BENCH_POSTGRES=0. */
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Where the PostgreSQL rows run: DATABASE_URL (postgres://…) when set; else the local test server,
 * when it accepts a connection within a second (BENCH_POSTGRES=1 requires it, BENCH_POSTGRES=0
 * skips it). Otherwise why not, for the table's note.
 */
export async function postgresTarget(env: NodeJS.ProcessEnv = process.env, local = LOCAL_POSTGRES): Promise<{ url: string } | { skipped: string }> {
  if (env.DATABASE_URL?.startsWith('postgres')) return { url: env.DATABASE_URL };
  if (env.BENCH_POSTGRES === '0') return { skipped: 'not measured (BENCH_POSTGRES=0)' };
  const probe = new pg.Client({ connectionString: local, connectionTimeoutMillis: 1_000 });
  try {
    await probe.connect();
    return { url: local };
  } catch (error) {
    if (env.BENCH_POSTGRES === '1') throw new Error(`BENCH_POSTGRES=1, but PostgreSQL at ${new URL(local).host} refused: ${(error as Error).message}`);
    return { skipped: `not measured (nothing answered at ${new URL(local).host}: ${(error as Error).message}; set DATABASE_URL=postgres://…)` };
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** The demo's argon2id parameters (src/accounts/password-hasher.ts), reported with the login rate. */
const ARGON2_PARAMETERS = 'argon2id, m = 19,456 KiB, t = 2, p = 1';

/** Runs `clients` loops of `step` for `seconds`; returns completed steps and failures. */
async function closedLoop(clients: number, seconds: number, step: (client: number) => Promise<boolean>): Promise<{ done: number; failed: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        if (await step(client)) done += 1;
        else failed += 1;
      }
    }),
  );
  return { done, failed, seconds: (performance.now() - started) / 1000 };
}

/** `closedLoop` after `SCALE_WARMUP_SECONDS` of the same loop, whose steps count only as failures. */
async function measuredLoop(
  server: BenchServer,
  clients: number,
  step: (client: number) => Promise<boolean>,
): Promise<{ done: number; failed: number; seconds: number; cpuMicros: number }> {
  const warmup = SCALE_WARMUP_SECONDS > 0 ? await closedLoop(clients, SCALE_WARMUP_SECONDS, step) : { failed: 0 };
  const before = await server.read(true);
  const run = await closedLoop(clients, SCALE_SECONDS, step);
  const after = await server.read();
  return { ...run, failed: run.failed + warmup.failed, cpuMicros: after.cpuMicros - before.cpuMicros };
}

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface RateRow {
  what: string;
  store: string;
  clients: number;
  perSecond: number;
  cpuMicrosPer: number;
  failed: number;
}

/** Each client rotates its own refresh family as fast as it can: `POST /auth/refresh` in a loop. */
async function refreshRate(server: BenchServer, user: BenchUser, store: string): Promise<RateRow> {
  const current = await Promise.all(Array.from({ length: REFRESH_CLIENTS }, async () => (await issueTokens(server.url, user)).refreshToken));
  if (current.some((token) => token === undefined)) throw new Error('POST /auth/token returned no refresh token');
  const run = await measuredLoop(server, REFRESH_CLIENTS, async (client) => {
    const reply = await post(server.url, '/auth/refresh', { refresh_token: current[client] });
    if (reply.status !== 200 || typeof reply.json.refresh_token !== 'string') return false;
    current[client] = reply.json.refresh_token;
    return true;
  });
  return { what: 'refresh rotations', store, clients: REFRESH_CLIENTS, perSecond: run.done / run.seconds, cpuMicrosPer: run.cpuMicros / Math.max(1, run.done), failed: run.failed };
}

/** Each client signs in with the password again and again: `POST /auth/login` (a new session each). */
async function loginRate(server: BenchServer, user: BenchUser, store: string): Promise<RateRow> {
  const run = await measuredLoop(server, LOGIN_CLIENTS, async () => [200, 201].includes((await post(server.url, '/auth/login', user)).status));
  return { what: `session logins (${ARGON2_PARAMETERS})`, store, clients: LOGIN_CLIENTS, perSecond: run.done / run.seconds, cpuMicrosPer: run.cpuMicros / Math.max(1, run.done), failed: run.failed };
}

function serverEnv(databaseUrl: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HTTP_ADAPTER: 'fastify',
    GATEHOUSE_RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
  };
  delete env.REDIS_URL;
  return env;
}

async function withServer<T>(databaseUrl: string, run: (server: BenchServer) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-scale-'));
  const server = await startServer(SERVER_ENTRY, serverEnv(databaseUrl === 'sqlite' ? `sqlite:${join(dataDir, 'bench.sqlite')}` : databaseUrl, dataDir));
  try {
    return await run(server);
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh database on the PostgreSQL server of `url`, dropped afterwards. */
async function withPostgresDatabase<T>(url: string, run: (databaseUrl: string) => Promise<T>): Promise<T> {
  const name = `gatehouse_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    return await run(target.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** Memory of one cached token: the verifier's cache filled with `count` fresh token strings, heap measured around it. */
export async function cachedTokenMemory(count: number): Promise<{ count: number; bytesPerToken: number; tokenLength: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const options = resolveTokensOptions({ issuer: 'http://127.0.0.1:3000', audience: 'gatehouse-demo', verifiedTokenCacheSize: count });
  const clock = new ManualClock(Date.now());
  const ring = await KeyRing.create(options, clock);
  const revocations = new MemoryRevocationStore();
  const issuer = new AccessTokenIssuer(options, ring, clock, revocations);
  const verifier = new AccessTokenVerifier(options, ring, clock, revocations);
  // Tokens wait as Buffers (outside the JS heap), so each string the cache keeps is counted once.
  const tokens: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    const { accessToken } = await issuer.issue({ subject: crypto.randomUUID(), scopes: ['orders:read', 'orders:write'], sessionId: crypto.randomUUID() });
    tokens.push(Buffer.from(accessToken, 'latin1'));
  }
  verifySync(verifier, tokens[0]!.toString('latin1'));
  verifier.clearCache();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (const token of tokens) verifySync(verifier, token.toString('latin1'));
  gc();
  const after = process.memoryUsage().heapUsed;
  return { count, bytesPerToken: (after - before) / count, tokenLength: tokens[0]!.length };
}

/**
 * The cache's hit rate when `live` distinct tokens are in use and each request picks one at
 * random (every live token equally likely: the worst case for an oldest-first cache), measured
 * on `VerifiedTokenCache` itself after one pass of warm-up.
 */
export function cacheHitRate(size: number, live: number, requests: number, random: () => number = Math.random): number {
  const cache = new VerifiedTokenCache(size);
  const entry = { principal: {}, expiresAt: 0, issuedAt: 0, sessionKey: undefined, subjectKey: 'sub:x' } as unknown as VerifiedToken;
  const tokens = Array.from({ length: live }, (_, i) => `token-${i.toString(36).padStart(30, '0')}`);
  const request = () => {
    const token = tokens[Math.floor(random() * live)]!;
    if (cache.get(token)) return true;
    cache.set(token, entry);
    return false;
  };
  for (let i = 0; i < live; i += 1) request();
  let hits = 0;
  for (let i = 0; i < requests; i += 1) if (request()) hits += 1;
  return hits / requests;
}

export async function scaleBench(log: (message: string) => void): Promise<string> {
  const rates: RateRow[] = [];
  log('scale: SQLite');
  await withServer('sqlite', async (server) => {
    const user = await registerUser(server.url);
    rates.push(await refreshRate(server, user, 'SQLite'));
    rates.push(await loginRate(server, user, 'SQLite'));
  });
  const postgres = await postgresTarget();
  if ('url' in postgres) {
    log('scale: PostgreSQL');
    await withPostgresDatabase(postgres.url, (databaseUrl) =>
      withServer(databaseUrl, async (server) => {
        const user = await registerUser(server.url);
        rates.push(await refreshRate(server, user, 'PostgreSQL'));
        rates.push(await loginRate(server, user, 'PostgreSQL'));
      }),
    );
  }
  const rateTable = markdownTable(
    ['what (fastify, one server)', 'store', 'concurrent clients', 'per second', 'server CPU ms each', 'failed'],
    rates.map((r) => [r.what, r.store, String(r.clients), formatNumber(r.perSecond, 0), formatNumber(r.cpuMicrosPer / 1000, 2), String(r.failed)]),
    ['left', 'left', 'right', 'right', 'right', 'right'],
  );
  const postgresNote = 'url' in postgres ? '' : `\n\nPostgreSQL: ${postgres.skipped}.`;

  log('scale: memory per cached token');
  const memory = await cachedTokenMemory(envNumber('BENCH_MEMORY_TOKENS', 20_000, 1_000, 200_000));
  const defaultSize = resolveTokensOptions({ issuer: 'http://x', audience: 'y' }).verifiedTokenCacheSize;
  const memoryLine =
    `A cached access token (${memory.tokenLength} characters, its principal and revocation keys) takes ${formatNumber(memory.bytesPerToken, 0)} bytes ` +
    `of heap (${formatNumber(memory.count)} tokens in one verifier). The default verifiedTokenCacheSize of ${formatNumber(defaultSize)} ` +
    `holds ${formatNumber(defaultSize)} live tokens in about ${formatNumber((memory.bytesPerToken * defaultSize) / 2 ** 20, 0)} MiB.`;
  const size = 10_000;
  const hits = [1, 1.25, 1.5, 2, 4].map((factor) => [factor, cacheHitRate(size, Math.round(size * factor), 200_000)] as const);
  const hitTable = markdownTable(
    ['cache entries', 'live tokens', 'hit rate (uniform requests)'],
    hits.map(([factor, rate]) => [formatNumber(size), formatNumber(size * factor), `${formatNumber(rate * 100, 1)} %`]),
    ['right', 'right', 'right'],
  );
  const timing =
    `Each rate is timed over ${SCALE_SECONDS} s, after ${SCALE_WARMUP_SECONDS} s of the same loop that is not timed (BENCH_SCALE_WARMUP_SECONDS), ` +
    'on a server started for its store; "failed" counts both.';
  return `${timing}\n\n${rateTable}${postgresNote}\n\n${memoryLine}\n\n${hitTable}`;
}
