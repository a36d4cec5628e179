// `npm run bench`: the built demo on each adapter, the public `GET /` against `GET /me` per
// credential kind, interleaved round by round, with the server's own CPU time per request, a
// public reference route shaped like `GET /me`, and the guard's own time measured inside the
// server; then the cost of one Ed25519 token verification outside any server.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, runInterleaved, startServer, type BenchRow, type BenchServer, type LoadLimits, type LoadPattern } from './bench-harness.js';
import { formatNumber, formatSigned, loadTable, summarizeRounds, type RowSummary } from './bench-table.js';
import { checkCredential, createApiKey, issueTokens, mintDistinctTokens, openSession, registerUser, Unavailable } from './demo-credentials.js';
import { PRINCIPAL_SHAPED_PATH } from './principal-shaped.controller.js';
import { microTable, verifyMicroBench } from './verify-micro.js';

const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',').map((name) => name.trim());
const ROUND_SECONDS = envNumber('BENCH_ROUND_SECONDS', 3, 1, 5);
const ROUNDS = envNumber('BENCH_ROUNDS', 5, 1, 20);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16, 1, 128);
/** Fresh tokens per measured round of the "jwt distinct tokens" row: each is sent exactly once. */
const DISTINCT_PER_ROUND = envNumber('BENCH_DISTINCT_TOKENS', 2000, 100, 10_000);
const MICRO_ITERATIONS = envNumber('BENCH_MICRO_ITERATIONS', 5000, 100, 50_000);
const SERVER_ENTRY = fileURLToPath(new URL('./demo-server.js', import.meta.url));

const log = (message: string) => console.error(`[bench] ${message}`);

/** The reference row: a public route shaped like `GET /me` (bench/principal-shaped.controller.ts). */
const SHAPED = 'shaped public';

const timed = (pattern: LoadPattern, seconds: number) => ({ pattern, limits: { connections: CONNECTIONS, seconds } });

/** Sends each token of `tokens` once, so every request misses the verified-token cache. */
function distinctTokenLoad(tokens: readonly string[]): { pattern: LoadPattern; limits: LoadLimits } {
  let next = 0;
  return {
    pattern: {
      path: '/me',
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }),
    },
    limits: { connections: CONNECTIONS, amount: tokens.length },
  };
}

/** Works out which credential kinds the demo offers, skipping (with a note) those it does not. */
async function discoverRows(server: BenchServer, notes: string[]): Promise<BenchRow[]> {
  const base = server.url;
  const warmSeconds = Math.max(1, ROUND_SECONDS / 2);
  const fixed = (name: string, pattern: LoadPattern): BenchRow => ({ name, load: (round) => timed(pattern, round < 0 ? warmSeconds : ROUND_SECONDS) });
  const rows: BenchRow[] = [fixed('public', { path: '/' }), fixed(SHAPED, { path: PRINCIPAL_SHAPED_PATH })];
  const skip = (row: string, error: unknown) => {
    if (!(error instanceof Unavailable)) throw error;
    notes.push(`${row}: skipped — ${error.message}`);
    log(`${row}: skipped — ${error.message}`);
  };
  const user = await registerUser(base);

  let bearer: Record<string, string> | undefined;
  try {
    const { accessToken } = await issueTokens(base, user);
    bearer = { authorization: `Bearer ${accessToken}` };
    await checkCredential(base, bearer, 'the access token');
    rows.push(fixed('jwt', { path: '/me', headers: bearer }));
  } catch (error) {
    skip('jwt', error);
  }

  if (bearer) {
    try {
      const wanted = DISTINCT_PER_ROUND * (ROUNDS + 1);
      const mintStarted = Date.now();
      const { tokens, note } = await mintDistinctTokens(base, user, wanted, 60_000);
      log(`minted ${tokens.length} distinct access tokens in ${((Date.now() - mintStarted) / 1000).toFixed(1)} s`);
      if (note) notes.push(`jwt distinct tokens: ${note}`);
      await checkCredential(base, { authorization: `Bearer ${tokens[tokens.length - 1]}` }, 'the last minted token');
      const slice = Math.floor(tokens.length / (ROUNDS + 1));
      if (slice < 100) throw new Unavailable('too few distinct tokens minted');
      rows.push({ name: 'jwt distinct tokens', load: (round) => distinctTokenLoad(tokens.slice((round + 1) * slice, (round + 2) * slice)) });
    } catch (error) {
      skip('jwt distinct tokens', error);
    }
  }

  let sessionAuth: Record<string, string> | undefined;
  try {
    const { cookie, csrfToken } = await openSession(base, user);
    await checkCredential(base, { cookie }, 'the session cookie');
    rows.push(fixed('session', { path: '/me', headers: { cookie } }));
    sessionAuth = { cookie, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) };
  } catch (error) {
    skip('session', error);
  }

  try {
    const manager = bearer ?? sessionAuth;
    if (!manager) throw new Unavailable('no bearer token or session to create a key with');
    const key = await createApiKey(base, manager);
    await checkCredential(base, { 'x-api-key': key }, 'the API key');
    rows.push(fixed('api-key', { path: '/me', headers: { 'x-api-key': key } }));
  } catch (error) {
    skip('api-key', error);
  }
  return rows;
}

/** The demo's environment for a bench run on `adapter` (no Redis, no rate limits, warn logging). */
function benchEnv(adapter: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HTTP_ADAPTER: adapter,
    GATEHOUSE_RATE_LIMITS: 'off',
    // Equal logging cost on every route: nothing below warn is written.
    LOG_LEVEL: 'warn',
  };
  delete env.REDIS_URL;
  return env;
}

async function benchAdapter(adapter: string): Promise<{ rows: RowSummary[]; notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(adapter),
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'bench.sqlite')}`,
  };
  log(`${adapter}: starting the demo`);
  const server = await startServer(SERVER_ENTRY, env);
  try {
    const notes: string[] = [];
    const rows = await discoverRows(server, notes);
    const samples = await runInterleaved(server, rows, ROUNDS, (message) => log(`${adapter}: ${message}`));
    return { rows: summarizeRounds(samples, 'public', SHAPED), notes };
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const sections: Array<{ adapter: string; rows: RowSummary[]; notes: string[] }> = [];
  for (const adapter of ADAPTERS) sections.push({ adapter, ...(await benchAdapter(adapter)) });
  log(`verify micro-benchmark (${MICRO_ITERATIONS} iterations each)`);
  const micro = await verifyMicroBench(MICRO_ITERATIONS);

  console.log(`\n## GET / (public) against GET /me per credential kind\n`);
  console.log(
    `Node ${process.version}, ${availableParallelism()} CPUs; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per row after a warm-up, ` +
      `${CONNECTIONS} connections; each round starts one row later and the server collects its garbage before every round; ` +
      `"jwt distinct tokens" sends ${DISTINCT_PER_ROUND} never-seen tokens per round (verified-token cache misses). ` +
      `"vs public" divides total requests per second; "median of round ratios" is the median over rounds of the row's ` +
      `rate over the public route's rate in the same round. ` +
      `"${SHAPED}" is ${PRINCIPAL_SHAPED_PATH}, a public route shaped like GET /me (the same @CurrentPrincipal() parameter, ` +
      `a 273-byte principal body) with no credential check: the columns "to ${SHAPED}" and "over ${SHAPED}" are what ` +
      `authentication adds. On Express it is routed one entry after GET /me, so it pays for one more route match. ` +
      `CPU is the server process's user + system time (all threads) divided by completed requests. ` +
      `"guard µs/call in the server" times GatehouseGuard.canActivate inside the server on the requests of the round ` +
      `(timer cost removed); calls that await (cache misses) are not timed.\n`,
  );
  console.log(loadTable(sections, 'public', SHAPED));
  const notes = sections.flatMap(({ adapter, notes }) => notes.map((note) => `- ${adapter}: ${note}`));
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);

  console.log(`\n## One access-token signature check\n`);
  console.log(microTable(micro));
  const missCosts: string[] = [];
  for (const { adapter, rows } of sections) {
    const cached = rows.find((row) => row.row === 'jwt');
    const distinct = rows.find((row) => row.row === 'jwt distinct tokens');
    if (cached && distinct) {
      missCosts.push(
        `- ${adapter}: a cache miss costs the server ${formatSigned(distinct.cpuMicrosPerRequest - cached.cpuMicrosPerRequest)} µs ` +
          `over a cached token (${formatNumber(distinct.cpuMicrosPerRequest, 1)} vs ${formatNumber(cached.cpuMicrosPerRequest, 1)} µs per request).`,
      );
    }
  }
  if (missCosts.length > 0) console.log(`\n${missCosts.join('\n')}`);
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
