// `npm run bench`: the built demo on each adapter, the public `GET /` against `GET /me` per
// credential kind, interleaved round by round, with the server's own CPU time per request, a
// public reference route shaped like `GET /me`, and the guard's own time measured inside the
// server; then the cost of one Ed25519 token verification outside any server.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber, runInterleaved, startServer, type BenchRow, type CollectMode, type BenchServer, type LoadPattern, type RowLoad } from './bench-harness.js';
import { benchGoals, controlledBy, GARBAGE_ROWS, guardFloorOf, refusalFloorOf, sameHeaders, type BenchSection, type GuardLoop } from './bench-goals.js';
import { cpuByThreadTable, formatNumber, goalsTable, loadTable, majorCollectionsNote, markdownTable, summarizeRounds } from './bench-table.js';
import { GRAPHQL_ME, GRAPHQL_PATH, GRAPHQL_SHAPED } from './graphql-bench.js';
import { checkCredential, checkGraphql, checkRefused, createApiKey, issueTokens, mintLikeTokens, openSession, recipeToken, registerUser, Unavailable } from './demo-credentials.js';
import { FreshBearer, TOKEN_MARGIN_SECONDS } from './fresh-bearer.js';
import { readCpuTimes, stealShare } from './host-steal.js';
import { TOKEN_MINT_PATH } from './token-mint.controller.js';
import { RECIPE_PATHS } from './nest-recipe.js';
import { PRINCIPAL_SHAPED_PATH } from './principal-shaped.controller.js';
import { GUARD_FLOOR_PATH } from './guard-floor.js';
import { guardStepsTable } from './guard-steps.js';
import { scaleBench } from './scale-bench.js';
import { coldPathMicroBench, coldPathTable, microTable, verifyMicroBench } from './verify-micro.js';
import { COLD_CONTROL, FLOOR_COLD, FLOOR_COLD_CONTROL, coldPathRows, coldPathServerTable, coldPathThreadsTable } from './cold-path.js';

const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',').map((name) => name.trim());
const ROUND_SECONDS = envNumber('BENCH_ROUND_SECONDS', 3, 1, 5);
const ROUNDS = envNumber('BENCH_ROUNDS', 5, 1, 20);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16, 1, 128);
/** Fresh tokens per measured round of the "gatehouse cold" row: each is sent exactly once. */
const DISTINCT_PER_ROUND = envNumber('BENCH_DISTINCT_TOKENS', 4000, 100, 10_000);
const MICRO_ITERATIONS = envNumber('BENCH_MICRO_ITERATIONS', 5000, 100, 50_000);
/** Distinct tokens of the in-process cold-path measurement, per algorithm. */
const COLD_MICRO_TOKENS = envNumber('BENCH_COLD_MICRO_TOKENS', 3000, 100, 20_000);
/** `BENCH_ES256=0` skips the ES256 servers (jwt, gatehouse cold and the public rows, on each adapter). */
const WITH_ES256 = process.env.BENCH_ES256 !== '0';
/** `BENCH_SCALE=0` skips the scale section (refresh and login rates, cache memory and hit rate). */
const WITH_SCALE = process.env.BENCH_SCALE !== '0';
const SERVER_ENTRY = fileURLToPath(new URL('./demo-server.js', import.meta.url));
/** Only these rows (comma-separated names; the public and shaped rows always run): for quick checks. */
const ONLY_ROWS = process.env.BENCH_ROWS ? new Set(process.env.BENCH_ROWS.split(',').map((name) => name.trim())) : undefined;
/** A folder: every measured round of the rows in BENCH_PROFILE_ROWS writes the server's CPU profile there. */
const PROFILE_DIR = process.env.BENCH_PROFILE || undefined;
/**
 * `BENCH_COLLECT=round` has the server make a full garbage collection before every measured round,
 * as the bench did until 7 December 2026; by default it makes one before each section's warm-up
 * (see `CollectMode` in bench-harness.ts for why).
 */
const COLLECT: CollectMode = (() => {
  const mode = process.env.BENCH_COLLECT || 'section';
  if (mode !== 'section' && mode !== 'round') throw new Error('BENCH_COLLECT must be "section" or "round"');
  return mode;
})();
/** A file: every measured round's raw sample (requests, seconds, CPU split, guard) is written there as JSON lines. */
const SAMPLES_FILE = process.env.BENCH_SAMPLES || undefined;
const PROFILE_ROWS = new Set((process.env.BENCH_PROFILE_ROWS ?? 'jwt,gatehouse cold').split(',').map((name) => name.trim()));

const log = (message: string) => console.error(`[bench] ${message}`);

/** The reference row: a public route shaped like `GET /me` (bench/principal-shaped.controller.ts). */
const SHAPED = 'shaped public';

const timed = (pattern: LoadPattern, seconds: number) => ({ pattern, limits: { connections: CONNECTIONS, seconds } });

/** Sends each token of `tokens` once to `GET /me` (or `path`), so every request misses the verified-token cache. */
function distinctTokenLoad(tokens: readonly string[], path = '/me'): RowLoad {
  let next = 0;
  return {
    pattern: {
      path,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }),
    },
    limits: { connections: CONNECTIONS, amount: tokens.length },
  };
}

/**
 * Requests per round of a refused-credential row: a fixed count, so a cheap refusal takes little
 * time. Each switch between rows costs the server a roughly fixed amount of re-optimisation (about
 * 140 to 200 ms of CPU per round, on V8's compiler thread and on the main thread), which a round of
 * 2,000 requests spreads over too few requests: see docs/decisions.md, "Refused rows of 20,000
 * requests". `BENCH_REFUSED_PER_ROUND=2000` gives the earlier, shorter rounds.
 */
const REFUSED_PER_ROUND = envNumber('BENCH_REFUSED_PER_ROUND', 20_000, 300, 100_000);
/** Calls of the guard loop per row (see guard-meter.ts). */
const GUARD_LOOP_CALLS = envNumber('BENCH_GUARD_LOOP_CALLS', 100_000, 1_000, 1_000_000);
/** Rows whose request the guard loop replays: one fixed GET each. */
const GUARD_LOOP_ROWS = [
  'public', 'shaped public', 'jwt', 'session', 'api-key', 'refused: bad signature', 'refused: garbage token', 'refused: garbage cookie', 'refused: garbage key',
  ...(['jwt', 'session', 'api-key'] as const).map(guardFloorOf),
  ...['refused: garbage token', 'refused: garbage cookie', 'refused: garbage key'].map(refusalFloorOf),
];

/** `token` with its signature's first character changed: well-formed, correctly encoded, wrongly signed. */
export function badSignature(token: string): string {
  const at = token.lastIndexOf('.') + 1;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

/** A refused-credential row: `headers` on `GET /me` (or `path`), a fixed number of requests per round. */
const refusedRow = (name: string, headers: Record<string, string>, path = '/me'): BenchRow => ({
  name,
  load: (round) => ({ pattern: { path, headers }, limits: { connections: CONNECTIONS, amount: round < 0 ? Math.ceil(REFUSED_PER_ROUND / 3) : REFUSED_PER_ROUND } }),
});

/** Works out which credential kinds the demo offers, skipping (with a note) those it does not. */
async function discoverRows(server: BenchServer, notes: string[], keep: (row: string) => boolean): Promise<BenchRow[]> {
  const base = server.url;
  const warmSeconds = Math.max(1, ROUND_SECONDS / 2);
  const fixed = (name: string, pattern: LoadPattern | (() => Promise<LoadPattern>)): BenchRow => ({
    name,
    load: async (round) => timed(typeof pattern === 'function' ? await pattern() : pattern, round < 0 ? warmSeconds : ROUND_SECONDS),
  });
  const rows: BenchRow[] = [fixed('public', { path: '/' }), fixed(SHAPED, { path: PRINCIPAL_SHAPED_PATH })];
  const skip = (row: string, error: unknown) => {
    if (!(error instanceof Unavailable)) throw error;
    notes.push(`${row}: skipped — ${error.message}`);
    log(`${row}: skipped — ${error.message}`);
  };
  const user = await registerUser(base);
  // Refused credentials, each well-formed as far as its own check goes: what an attacker sends for free.
  const refused: Array<[string, Record<string, string>]> = [
    ['refused: garbage token', { authorization: `Bearer ${randomBytes(96).toString('base64url')}.${randomBytes(192).toString('base64url')}.${randomBytes(64).toString('base64url')}` }],
  ];

  let bearer: FreshBearer | undefined;
  try {
    let issued = 0;
    const fresh = await FreshBearer.start(async () => {
      const { accessToken } = await issueTokens(base, user);
      if (issued++ > 0) log('renewed the access token before a round');
      return accessToken;
    });
    await checkCredential(base, await fresh.headers(), 'the access token');
    bearer = fresh;
    rows.push(
      fixed('jwt', async () => ({ path: '/me', headers: await fresh.headers() })),
      fixed(sameHeaders('jwt'), async () => ({ path: PRINCIPAL_SHAPED_PATH, headers: await fresh.headers() })),
      fixed(guardFloorOf('jwt'), async () => ({ path: GUARD_FLOOR_PATH, headers: await fresh.headers() })),
    );
  } catch (error) {
    skip('jwt', error);
  }

  if (bearer && keep('gatehouse cold')) {
    const fresh = bearer;
    try {
      // Each round's tokens are minted while the row is prepared (not measured), so none has
      // aged or expired by its round.
      const mint = async () => mintLikeTokens(base, await fresh.current(), DISTINCT_PER_ROUND, TOKEN_MINT_PATH);
      const mintStarted = Date.now();
      const sample = await mint();
      log(`minted ${sample.length} distinct access tokens in ${((Date.now() - mintStarted) / 1000).toFixed(1)} s`);
      if (sample.length < DISTINCT_PER_ROUND) throw new Unavailable('too few distinct tokens minted');
      await checkCredential(base, { authorization: `Bearer ${sample[sample.length - 1]}` }, 'the last minted token');
      rows.push({ name: 'gatehouse cold', load: async () => distinctTokenLoad(await mint()) });
      // The cached token, loaded exactly the way the cold row is (a header rewritten per request, a
      // fixed count per round): the two differ only in whether the server has seen the token.
      rows.push({ name: COLD_CONTROL, load: async () => distinctTokenLoad(new Array<string>(DISTINCT_PER_ROUND).fill(await fresh.current())) });
      // Both again to the guard floor, where one signature check takes the guard's place.
      rows.push({ name: FLOOR_COLD, load: async () => distinctTokenLoad(await mint(), GUARD_FLOOR_PATH) });
      rows.push({ name: FLOOR_COLD_CONTROL, load: async () => distinctTokenLoad(new Array<string>(DISTINCT_PER_ROUND).fill(await fresh.current()), GUARD_FLOOR_PATH) });
    } catch (error) {
      skip('gatehouse cold', error);
    }
  }

  for (const [name, path] of [
    ['recipe', RECIPE_PATHS.profile],
    ['recipe (KeyObject)', RECIPE_PATHS.profileKeyObject],
  ] as const) {
    if (!keep(name)) continue;
    try {
      const headers = { authorization: `Bearer ${await recipeToken(base, RECIPE_PATHS.token)}` };
      await checkCredential(base, headers, `the ${name} token`, path);
      rows.push(fixed(name, { path, headers }));
    } catch (error) {
      skip(name, error);
    }
  }

  if (bearer && keep('graphql jwt')) {
    const fresh = bearer;
    // The same principal through a GraphQL query: the guard in the GraphQL context, against the same query made public.
    const graphql = (query: string, headers: Record<string, string> = {}): LoadPattern => ({
      path: GRAPHQL_PATH,
      method: 'POST',
      body: JSON.stringify({ query }),
      headers: { 'content-type': 'application/json', ...headers },
    });
    try {
      await checkGraphql(base, GRAPHQL_PATH, GRAPHQL_ME, await fresh.headers());
      rows.push(fixed('graphql shaped public', graphql(GRAPHQL_SHAPED)), fixed('graphql jwt', async () => graphql(GRAPHQL_ME, await fresh.headers())));
    } catch (error) {
      skip('graphql jwt', error);
    }
  }

  let sessionAuth: Record<string, string> | undefined;
  try {
    const { cookie, csrfToken } = await openSession(base, user);
    await checkCredential(base, { cookie }, 'the session cookie');
    rows.push(
      fixed('session', { path: '/me', headers: { cookie } }),
      fixed(sameHeaders('session'), { path: PRINCIPAL_SHAPED_PATH, headers: { cookie } }),
      fixed(guardFloorOf('session'), { path: GUARD_FLOOR_PATH, headers: { cookie } }),
    );
    refused.push(['refused: garbage cookie', { cookie: `${cookie.split('=', 1)[0]}=${randomBytes(20).toString('base64url')}` }]);
    sessionAuth = { cookie, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) };
  } catch (error) {
    skip('session', error);
  }

  try {
    const manager = bearer ? await bearer.headers() : sessionAuth;
    if (!manager) throw new Unavailable('no bearer token or session to create a key with');
    const key = await createApiKey(base, manager);
    await checkCredential(base, { 'x-api-key': key }, 'the API key');
    rows.push(
      fixed('api-key', { path: '/me', headers: { 'x-api-key': key } }),
      fixed(sameHeaders('api-key'), { path: PRINCIPAL_SHAPED_PATH, headers: { 'x-api-key': key } }),
      fixed(guardFloorOf('api-key'), { path: GUARD_FLOOR_PATH, headers: { 'x-api-key': key } }),
    );
    refused.push(['refused: garbage key', { 'x-api-key': `${key.slice(0, -6)}${key.slice(-6) === '000000' ? '000001' : '000000'}` }]);
  } catch (error) {
    skip('api-key', error);
  }
  // Derived once from the first token: the signature is checked before expiry, so it is refused
  // as a bad signature even after that token's lifetime.
  if (bearer) refused.unshift(['refused: bad signature', { authorization: `Bearer ${badSignature(bearer.first)}` }]);
  for (const [name, headers] of refused) {
    try {
      await checkRefused(base, headers, `the ${name.replace('refused: ', '')}`);
      rows.push(refusedRow(name, headers));
      // Garbage is also sent to the guard floor, which refuses it as cheaply as any guard can.
      if (GARBAGE_ROWS.includes(name)) rows.push(refusedRow(refusalFloorOf(name), headers, GUARD_FLOOR_PATH));
    } catch (error) {
      skip(name, error);
    }
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
    // Nothing below warn is written, so no 2xx request writes a log line. The demo logs each 4xx at
    // warn (a deployment's record of refusals), so every refused-row request writes one:
    // BENCH_LOG_LEVEL=error measures the refusals without it.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
  };
  delete env.REDIS_URL;
  return env;
}

/** Rows of the ES256 pass: the cold path and what it is compared with. */
const ES256_ROWS = new Set(['jwt', 'gatehouse cold', COLD_CONTROL]);

async function benchAdapter(adapter: string, algorithm: 'EdDSA' | 'ES256'): Promise<BenchSection & { notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const label = algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`;
  const keep = (row: string) => {
    // Control rows run whenever the rows they control do.
    const name = [COLD_CONTROL, FLOOR_COLD, FLOOR_COLD_CONTROL].includes(row) ? 'gatehouse cold' : row === 'graphql shaped public' ? 'graphql jwt' : (controlledBy(row) ?? row);
    // The same-headers and floor controls serve the cached-check goals, which are EdDSA's only.
    if (algorithm !== 'EdDSA' && controlledBy(row) !== undefined) return false;
    return name === 'public' || name === SHAPED || ((!ONLY_ROWS || ONLY_ROWS.has(name)) && (algorithm === 'EdDSA' || ES256_ROWS.has(name)));
  };
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(adapter),
    TOKEN_ALGORITHM: algorithm,
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'bench.sqlite')}`,
  };
  log(`${label}: starting the demo`);
  const server = await startServer(SERVER_ENTRY, env);
  try {
    const notes: string[] = [];
    const rows = (await discoverRows(server, notes, keep)).filter((row) => keep(row.name));
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const profileFile = PROFILE_DIR
      ? (row: string, round: number) => (PROFILE_ROWS.has(row) ? join(PROFILE_DIR, `${label.replace(/\W+/g, '-')}-${row.replace(/\W+/g, '-')}-${round + 1}.cpuprofile`) : undefined)
      : undefined;
    const rounds = algorithm === 'EdDSA' ? ROUNDS : Math.min(ROUNDS, 3);
    const cpuBefore = readCpuTimes();
    const samples = await runInterleaved(server, rows, rounds, (message) => log(`${label}: ${message}`), { collect: COLLECT, ...(profileFile ? { profileFile } : {}) });
    const majors = majorCollectionsNote(samples);
    if (majors) notes.push(majors);
    const loops = algorithm === 'EdDSA' ? await guardLoops(server, rows, label) : [];
    // A virtual machine shares its host: time the hypervisor gave to others shows up as slower rounds.
    const stolen = stealShare(cpuBefore, readCpuTimes());
    if (stolen !== undefined) notes.push(`the hypervisor took ${formatNumber(stolen * 100, 1)} % of the machine's CPU time during this section's rounds and guard loops (steal, /proc/stat)`);
    if (SAMPLES_FILE) appendFileSync(SAMPLES_FILE, samples.map((sample) => `${JSON.stringify({ section: label, ...sample })}\n`).join(''));
    const summaries = summarizeRounds(samples, 'public', SHAPED);
    // Every row but the refused ones and their floors expects 2xx answers: say so when one did not.
    for (const { row, non2xx } of summaries) {
      if (non2xx > 0 && !row.startsWith('refused: ') && !GARBAGE_ROWS.some((garbage) => row === refusalFloorOf(garbage))) {
        notes.push(`${row}: ${non2xx} answers were not 2xx, and its figures include them`);
      }
    }
    return { adapter, algorithm, rows: summaries, samples, loops, notes };
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * After the rounds: the guard in a loop in the server, on the context of one request per row, so
 * its own work is timed with warm CPU caches, apart from what the rest of each request evicts.
 */
async function guardLoops(server: BenchServer, rows: readonly BenchRow[], label: string): Promise<GuardLoop[]> {
  const loops: GuardLoop[] = [];
  for (const name of GUARD_LOOP_ROWS) {
    const row = rows.find((candidate) => candidate.name === name);
    if (!row) continue;
    const { pattern } = await row.load(0);
    if (pattern.setupRequest || (pattern.method ?? 'GET') !== 'GET') continue;
    // A bad signature is a full verify on every call: a twentieth of the calls is plenty.
    const calls = name === 'refused: bad signature' ? Math.max(1_000, GUARD_LOOP_CALLS / 20) : GUARD_LOOP_CALLS;
    log(`${label}: guard loop, ${name}`);
    const loop = await server.guardLoop(async () => {
      const response = await fetch(`${server.url}${pattern.path}`, { headers: pattern.headers, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
    }, calls);
    if (loop) loops.push({ row: name, ...loop });
  }
  return loops;
}

function guardLoopTable(sections: readonly BenchSection[]): string {
  const rows = sections.flatMap(({ adapter, algorithm, rows: summaries, loops }) =>
    (loops ?? []).map((loop) => {
      const inServer = summaries.find((summary) => summary.row === loop.row)?.guardMicrosPerCall;
      return [
        algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`,
        loop.row,
        formatNumber(loop.calls, 0),
        formatNumber(loop.micros, 2),
        inServer === undefined ? '–' : formatNumber(inServer, 2),
        formatNumber(loop.deferred, 0),
      ];
    }),
  );
  return markdownTable(['adapter', 'row', 'calls', 'guard µs/call, warm', 'guard µs/call in the server (per request, above)', 'returned a promise or threw'], rows, ['left', 'left', 'right', 'right', 'right', 'right']);
}

async function main(): Promise<void> {
  const started = Date.now();
  const sections: Array<BenchSection & { notes: string[] }> = [];
  for (const adapter of ADAPTERS) sections.push(await benchAdapter(adapter, 'EdDSA'));
  if (WITH_ES256) for (const adapter of ADAPTERS) sections.push(await benchAdapter(adapter, 'ES256'));
  log(`verify micro-benchmark (${MICRO_ITERATIONS} iterations each)`);
  const micro = await verifyMicroBench(MICRO_ITERATIONS);
  const coldPaths = [await coldPathMicroBench('EdDSA', COLD_MICRO_TOKENS), await coldPathMicroBench('ES256', COLD_MICRO_TOKENS)];
  const scale = WITH_SCALE ? (log('scale: refresh rotations, logins, memory and hit rate'), await scaleBench(log)) : 'Skipped (BENCH_SCALE=0).';

  console.log(`\n## GET / (public) against GET /me per credential kind\n`);
  console.log(
    `Node ${process.version}, ${availableParallelism()} CPUs; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per row after a warm-up ` +
      `(the ES256 servers: ${Math.min(ROUNDS, 3)}), ` +
      `${CONNECTIONS} connections; each round starts one row later; ` +
      (COLLECT === 'round'
        ? `the server makes a full garbage collection before every round (BENCH_COLLECT=round), which costs every round the recompilation of the code it deoptimises; `
        : `the server makes one full garbage collection before the warm-up, and the rounds run on without a forced one (a forced collection deoptimises the request path's code, which every round would then compile again; BENCH_COLLECT=round forces one before every round); `) +
      `"gatehouse cold" sends ${DISTINCT_PER_ROUND} never-seen tokens per round (verified-token cache misses), minted before the round; ` +
      `the bench user's access token is renewed before any round that would start with less than ${TOKEN_MARGIN_SECONDS} s of its lifetime left; the "refused" rows send ` +
      `${REFUSED_PER_ROUND} requests per round with a credential that is refused (401): a copy of the jwt row's token with one signature ` +
      `character changed, random base64url in three segments, an API key with a wrong checksum, a session cookie of the wrong shape. ` +
      `"recipe" is the NestJS docs' JWT recipe (@nestjs/jwt + passport-jwt AuthGuard, HS256 with a string secret) on a route of the same ` +
      `shape (bench/nest-recipe.ts); "recipe (KeyObject)" the same with the secret as a KeyObject. ` +
      `"vs public" divides total requests per second; "median of round ratios" is the median over rounds of the row's ` +
      `rate over the public route's rate in the same round. ` +
      `"${SHAPED}" is ${PRINCIPAL_SHAPED_PATH}, a public route shaped like GET /me (the same @CurrentPrincipal() parameter, ` +
      `a 273-byte principal body) with no credential check: the columns "to ${SHAPED}" and "over ${SHAPED}" are what ` +
      `authentication adds. On Express it is routed one entry after GET /me, so it pays for one more route match. ` +
      `"${sameHeaders('jwt')}" (and session, api-key) is that route sent exactly the credential headers of the row it controls, which ` +
      `a public route ignores: the same bytes for the load generator, the parser and the logger, so only the check differs. ` +
      `"${guardFloorOf('jwt')}" (and session, api-key) is GET /me mounted again at ${GUARD_FLOOR_PATH} and sent that row's headers, ` +
      `where the meter puts in the guard's place the least any guard does for a credential it has seen: read the credential headers, ` +
      `one Map lookup by their raw value, attach the principal (bench/guard-floor.ts; no hashing, expiry, revocation or policy). ` +
      `"guard floor (garbage token)" (and cookie, key) sends that route the refused row's garbage, which the floor refuses as the guard ` +
      `does, with a new 401 GatehouseError in a rejected promise, after one Map lookup (no parsing, no failure budget). ` +
      `"${FLOOR_COLD}" sends that route the cold row's load (fresh tokens, minted the same way), where the floor checks each token's ` +
      `signature with one crypto.verify on the ring's key and attaches one shared principal (no header, claims or revocation read, ` +
      `no principal built); "${FLOOR_COLD_CONTROL}" is the cached token under that load, to that route. ` +
      `Their guard column is how low any guard's time in this server can go on this machine and adapter. ` +
      `CPU is the server process's user + system time (all threads) divided by completed requests. ` +
      `"guard µs/call in the server" times GatehouseGuard.canActivate inside the server on the requests of the round, ` +
      `refusals included (timer cost removed), until each call returns: a refusal is answered by an already rejected promise, ` +
      `and the wait of a call that loads a credential from the database is not timed ("N by promise" counts the calls that returned one).\n`,
  );
  console.log(loadTable(sections.map(({ adapter, algorithm, rows }) => ({ adapter: algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`, rows })), 'public', SHAPED));
  const notes = sections.flatMap(({ adapter, algorithm, notes }) => notes.map((note) => `- ${adapter}${algorithm === 'EdDSA' ? '' : ` (${algorithm})`}: ${note}`));
  console.log(`\n${notes.join('\n')}`);
  const byThread = cpuByThreadTable(sections.map(({ adapter, algorithm, rows }) => ({ adapter: algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`, rows })));
  if (byThread !== '') {
    console.log(`\n## Where the server's CPU goes, by thread\n`);
    console.log(
      `The same rounds: the main thread's CPU per request (the scheduler's count, /proc/self/task/<pid>/schedstat), of which its ` +
        `garbage-collection pauses (V8's gc performance entries) and the guard (its time per call, above), and the other threads' ` +
        `(the process's CPU minus the main thread's: V8's workers for concurrent marking, parallel scavenging and compilation, and libuv's pool); ` +
        `and, across that split, the time in the kernel (process.cpuUsage().system: mostly the main thread's socket reads and writes, ` +
        `and the wake-ups of the load generator waiting on them).\n`,
    );
    console.log(byThread);
  }

  const loopTable = guardLoopTable(sections);
  if (sections.some((section) => (section.loops ?? []).length > 0)) {
    console.log(`\n## The guard alone, warm\n`);
    console.log(
      `After the rounds, inside the same server: GatehouseGuard.canActivate called ${GUARD_LOOP_CALLS} times in a row (a twentieth of that ` +
        `for the bad signature, a full verify each time; batches of 500, ` +
        `the event loop turning between them) on the execution context of one real request of the row, after a warm-up. The same ` +
        `code and data on every call, so the CPU caches stay warm: this is the guard's own work. The per-request meter above also ` +
        `pays for what the rest of each request evicts from the caches, and is the figure the goals use.\n`,
    );
    console.log(loopTable);
  }

  const steps = guardStepsTable(sections);
  if (steps !== '') {
    console.log(`\n## The guard's steps, per request (BENCH_GUARD_STEPS=1)\n`);
    console.log(
      `The same rounds, with each step of GatehouseGuard.canActivate timed inside the server as well (bench/guard-steps.ts): ` +
        `the route's policy, the request object, the route's mechanisms, every mechanism's extract, the chosen mechanism's check ` +
        `(cache lookups, expiry, revocation, CSRF; a first-seen token's signature), the enricher, attaching the principal, and a ` +
        `refusal's answer (failure budget, rejected promise), in µs per guard call, warm timer cost removed. "the rest" is the guard's ` +
        `own code between the steps and the step timers' overhead; "one timer pair" is an empty performance.now() pair at the start ` +
        `of each call, uncorrected: what the instrument costs in place. The step timers slow every call, so the guard column here is ` +
        `above the meter's figure without them; the goals are checked on runs without BENCH_GUARD_STEPS.\n`,
    );
    console.log(steps);
  }

  console.log(`\n## One access-token signature check\n`);
  console.log(microTable(micro));
  console.log(`\nAccessTokenVerifier in process, ${COLD_MICRO_TOKENS} distinct tokens of its own ring (chunks of 100, interleaved):\n`);
  console.log(coldPathTable(coldPaths));
  const verifyMicros = Object.fromEntries(coldPaths.map((result) => [result.alg, result.rawVerifyMicros]));
  const coldRows = coldPathRows(sections, verifyMicros);
  if (coldRows.length > 0) {
    console.log(`\nWhere a first-seen token's cost goes, per adapter: server CPU per request of "gatehouse cold" over the cached token `);
    console.log(`under the same load ("${COLD_CONTROL}") and over the timed "jwt" row; the guard's own time per call on each; `);
    console.log(`and one crypto.verify timed inside the server during the cold rounds, against the sequential one above.\n`);
    console.log(coldPathServerTable(coldRows));
    const threads = coldPathThreadsTable(coldRows);
    if (threads !== '') {
      console.log(`\nThe same extra over the control by thread: the guard's extra time per call; the main thread's extra garbage-collection `);
      console.log(`pauses; the rest of the main thread (the request pipeline around the guard; a pause inside a guard call is in the guard's `);
      console.log(`figure too); the other threads (V8's concurrent marking, parallel scavenging and compilation, libuv's pool); and, across `);
      console.log(`that split, the extra time in the kernel.\n`);
      console.log(threads);
    }
  }

  console.log(`\n## Scale\n`);
  console.log(scale);

  console.log(`\n## Goals (issue 14), checked against this run\n`);
  console.log(goalsTable(benchGoals(sections, verifyMicros)));
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
