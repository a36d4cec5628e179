// `npm run bench:guard`: what the guard's direct call to a mechanism saves over running the same
// check through passport, on each adapter. Four routes of one tiny app (bench/guard-app.ts),
// interleaved round by round, with the server's own CPU time per request.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { envNumber, runInterleaved, startServer, type BenchRow, type LoadPattern } from './bench-harness.js';
import { loadTable, summarizeRounds, type RowSummary } from './bench-table.js';
import { GUARD_BENCH_TOKEN } from './guard-app.js';

const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'express,fastify').split(',').map((name) => name.trim());
const ROUND_SECONDS = envNumber('BENCH_ROUND_SECONDS', 3, 1, 5);
const ROUNDS = envNumber('BENCH_ROUNDS', 3, 1, 5);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 16, 1, 128);
const SERVER_ENTRY = fileURLToPath(new URL('./guard-server.js', import.meta.url));

const log = (message: string) => console.error(`[bench:guard] ${message}`);

const row = (name: string, pattern: LoadPattern): BenchRow => ({
  name,
  load: (round) => ({ pattern, limits: { connections: CONNECTIONS, seconds: round < 0 ? Math.max(1, ROUND_SECONDS / 2) : ROUND_SECONDS } }),
});

const ROWS: BenchRow[] = [
  row('public', { path: '/public' }),
  row('gatehouse fast path', { path: '/fast', headers: { authorization: `Bearer ${GUARD_BENCH_TOKEN}` } }),
  row('gatehouse → passport strategy', { path: '/gatehouse-passport', headers: { authorization: `Token ${GUARD_BENCH_TOKEN}` } }),
  row('AuthGuard(name) alone', { path: '/auth-guard', headers: { authorization: `Token ${GUARD_BENCH_TOKEN}` } }),
];

async function benchAdapter(adapter: string): Promise<RowSummary[]> {
  const server = await startServer(SERVER_ENTRY, { ...process.env, NODE_ENV: 'production', HTTP_ADAPTER: adapter });
  try {
    for (const { name, load } of ROWS) {
      const { pattern } = await load(0);
      const response = await fetch(`${server.url}${pattern.path}`, { headers: pattern.headers, signal: AbortSignal.timeout(10_000) });
      if (response.status !== 200) throw new Error(`${name}: ${pattern.path} answered ${response.status}`);
    }
    return summarizeRounds(await runInterleaved(server, ROWS, ROUNDS, (message) => log(`${adapter}: ${message}`)));
  } catch (error) {
    console.error(server.output());
    throw error;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const sections: Array<{ adapter: string; rows: RowSummary[] }> = [];
  for (const adapter of ADAPTERS) sections.push({ adapter, rows: await benchAdapter(adapter) });
  console.log(`\n## Guard overhead: the same credential check, direct or through passport\n`);
  console.log(
    `Node ${process.version}, ${availableParallelism()} CPUs; ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per row after a warm-up, ` +
      `${CONNECTIONS} connections. Every guarded route runs the same map lookup; the difference is the machinery around it.\n`,
  );
  console.log(loadTable(sections));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
