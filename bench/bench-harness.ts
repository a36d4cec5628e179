import autocannon, { type AutocannonRequest } from 'autocannon';
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RoundSample } from './bench-table.js';
import type { FromServer, ToServer } from './bench-ipc.js';
import type { GuardLoopReading, GuardReading } from './guard-meter.js';
import { stepsBetween } from './guard-steps.js';

/** Benchmarks only ever target this machine's loopback interface. */
export const BENCH_HOST = '127.0.0.1';

/** What a server's meters read at one moment. */
export interface ServerReading {
  /** CPU time so far, in microseconds (user + system, all threads). */
  cpuMicros: number;
  /** The system (kernel) part of `cpuMicros`. */
  systemMicros?: number;
  /** The main thread's share of `cpuMicros` (Linux only). */
  mainThreadMicros?: number;
  /** The main thread's garbage-collection pauses so far, in microseconds. */
  gcMicros: number;
  /** Major (mark-compact) collections so far, forced ones included. */
  majorGcs?: number;
  /** The in-server guard meter, when the app has a `GatehouseGuard`. */
  guard?: GuardReading;
}

/** A server process the bench started, with its meters. */
export interface BenchServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Reads the server's meters; with `collect`, after a full garbage collection in the server. */
  read(collect?: boolean): Promise<ServerReading>;
  /** Starts the server's CPU profiler, or (with `file`) stops it and writes the profile there. */
  profile(file?: string): Promise<void>;
  /**
   * Times the guard in the server, `calls` times in a loop, on the context of the request `send`
   * makes (see guard-meter.ts); undefined when the app has no `GatehouseGuard`.
   */
  guardLoop(send: () => Promise<void>, calls: number): Promise<GuardLoopReading | undefined>;
  /** What the server printed (for failures). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Forks `entry` (a built bench server: see bench-ipc.ts) with `env`, waits until it listens on
 * the loopback interface, and returns a handle to it. Fails after `timeoutMs`.
 */
export async function startServer(entry: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<BenchServer> {
  const child = fork(entry, [], { env, execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Keep the tail only: a misbehaving server must not fill the driver's memory.
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const pending = new Map<number, (reading: ServerReading) => void>();
  const loops = new Map<number, (loop: GuardLoopReading | undefined) => void>();
  /** How to fail each request in flight, by id, when the server answers it with `failed`. */
  const failures = new Map<number, (error: Error) => void>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('message', (message: FromServer) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed' && message.id !== undefined) {
        failures.get(message.id)?.(new Error(`The server could not answer: ${message.message}`));
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${entry} failed to start:\n${message.message}\n${output}`));
      } else if (message.type === 'cpu') {
        pending.get(message.id)?.({
          cpuMicros: message.micros,
          systemMicros: message.systemMicros,
          gcMicros: message.gcMicros,
          majorGcs: message.majorGcs,
          ...(message.mainMicros !== undefined ? { mainThreadMicros: message.mainMicros } : {}),
          ...(message.guard ? { guard: message.guard } : {}),
        });
      } else if (message.type === 'profiled' || message.type === 'guard-captured') {
        pending.get(message.id)?.({ cpuMicros: 0, gcMicros: 0 });
      } else if (message.type === 'guard-loop') {
        loops.get(message.id)?.(message.loop);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with code ${code} before listening\n${output}`));
    });
  });

  const request = (message: ToServer) => child.send(message);
  /** Sends the message `make(id)` and waits for its answer in `answers`, its `failed`, or the timeout. */
  const answerOf = <T>(answers: Map<number, (value: T) => void>, timeoutMs: number, make: (id: number) => ToServer) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const settle = () => {
        clearTimeout(timer);
        answers.delete(id);
        failures.delete(id);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error('The server did not answer over IPC'));
      }, timeoutMs);
      answers.set(id, (value) => {
        settle();
        resolve(value);
      });
      failures.set(id, (error) => {
        settle();
        reject(error);
      });
      request(make(id));
    });
  const ask = (message: (id: number) => ToServer) => answerOf(pending, 30_000, message);
  return {
    url: `http://${BENCH_HOST}:${port}`,
    output: () => output,
    read: (collect = false) => ask((id) => ({ type: 'cpu', id, collect })),
    profile: async (file) => {
      await ask((id) => ({ type: 'profile', id, ...(file === undefined ? {} : { file }) }));
    },
    guardLoop: async (send, calls) => {
      await ask((id) => ({ type: 'guard-capture', id }));
      await send();
      return answerOf(loops, 120_000, (id) => ({ type: 'guard-loop', id, calls }));
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      request({ type: 'stop' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** One load pattern: a path with fixed headers, or a request rewritten before each send. */
export interface LoadPattern {
  path: string;
  /** `GET` unless set (the GraphQL rows POST a query). */
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Per-request rewrite, e.g. to send a different token each time. */
  setupRequest?: AutocannonRequest['setupRequest'];
}

export interface LoadLimits {
  connections: number;
  /** Run for this many seconds… */
  seconds?: number;
  /** …or until this many requests have completed. */
  amount?: number;
}

/** What the load generator saw in one run. */
export interface LoadResult {
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon against `baseUrl` (which must be the loopback bench server) once. */
export async function runLoad(baseUrl: string, pattern: LoadPattern, limits: LoadLimits): Promise<LoadResult> {
  const url = new URL(baseUrl);
  if (url.hostname !== BENCH_HOST) throw new Error(`Refusing to load ${url.hostname}: benchmarks only target ${BENCH_HOST}`);
  if (limits.seconds === undefined && limits.amount === undefined) throw new Error('A load run needs a duration or an amount');
  const started = performance.now();
  const instance = autocannon({
    url: `${url.origin}${pattern.path}`,
    connections: limits.connections,
    pipelining: 1,
    timeout: 10,
    ...(limits.amount !== undefined ? { amount: limits.amount } : { duration: limits.seconds }),
    headers: pattern.headers ?? {},
    ...(pattern.method ? { method: pattern.method } : {}),
    ...(pattern.body !== undefined ? { body: pattern.body } : {}),
    ...(pattern.setupRequest ? { requests: [{ method: 'GET', path: pattern.path, setupRequest: pattern.setupRequest }] } : {}),
  });
  // autocannon only notices the end on its next one-second tick, so its own `duration` rounds a
  // short run up; time the run from the start to the last response instead.
  let lastResponse = started;
  instance.on('response', () => (lastResponse = performance.now()));
  const result = await instance;
  const seconds = (lastResponse - started) / 1000;
  return { requests: result.requests.total, seconds, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/**
 * Runs one load against `server` and reads the server's meters around it; with `collect`, the
 * server collects its garbage (a full collection) and waits for its CPU to go quiet before the
 * first reading.
 */
export async function measureRound(server: BenchServer, row: string, pattern: LoadPattern, limits: LoadLimits, profileFile?: string, collect = false): Promise<RoundSample> {
  const before = await server.read(collect);
  if (profileFile) await server.profile();
  const load = await runLoad(server.url, pattern, limits);
  if (profileFile) {
    await server.profile(profileFile);
    // The round's request count beside its profile: `profile-summary --per` reads it.
    writeFileSync(`${profileFile}.requests`, `${load.requests}\n`);
  }
  const after = await server.read();
  const guard =
    before.guard && after.guard
      ? {
          guardMicros: after.guard.micros - before.guard.micros,
          guardCalls: after.guard.calls - before.guard.calls,
          guardDeferred: after.guard.deferred - before.guard.deferred,
          verifyMicros: after.guard.verifyMicros - before.guard.verifyMicros,
          verifyCalls: after.guard.verifyCalls - before.guard.verifyCalls,
          ...(before.guard.steps && after.guard.steps ? { guardSteps: stepsBetween(before.guard.steps, after.guard.steps) } : {}),
        }
      : {};
  const mainThread =
    before.mainThreadMicros !== undefined && after.mainThreadMicros !== undefined ? { mainThreadMicros: after.mainThreadMicros - before.mainThreadMicros } : {};
  const system = before.systemMicros !== undefined && after.systemMicros !== undefined ? { systemMicros: after.systemMicros - before.systemMicros } : {};
  const majors = before.majorGcs !== undefined && after.majorGcs !== undefined ? { majorGcs: after.majorGcs - before.majorGcs } : {};
  return { row, ...load, cpuMicros: after.cpuMicros - before.cpuMicros, ...system, ...mainThread, gcMicros: after.gcMicros - before.gcMicros, ...majors, ...guard };
}

/** How a row is loaded in one round. */
export interface RowLoad {
  pattern: LoadPattern;
  limits: LoadLimits;
}

/**
 * A row of a benchmark and how to load it in a given round (round -1 is the warm-up). A load may
 * be prepared asynchronously (a credential renewed, tokens minted): that happens before the
 * round's first reading of the server's meters, so it is not measured.
 */
export interface BenchRow {
  name: string;
  load(round: number): RowLoad | Promise<RowLoad>;
}

/**
 * When the server is made to collect its garbage (a full collection, then a wait for its CPU to go
 * quiet): once, before the warm-up (`section`), or before every round as well (`round`).
 *
 * A forced full collection also throws away optimised code: V8 deoptimises every function whose
 * code holds an object that the collection found dead ("weak objects"; 22 to 94 functions of the
 * demo's request path each time, traced on Fastify), and the round after it pays for optimising
 * again (100 to 190 functions a round) on V8's compiler thread and for running slower until then.
 * In a server that runs on, a major collection comes when the heap has grown enough, not every few
 * seconds, so `section` measures the rounds in that steady state, and a major collection that the
 * rows' garbage brings about falls in whichever round reaches it (each sample counts the major
 * collections it saw).
 */
export type CollectMode = 'section' | 'round';

export interface InterleaveOptions {
  collect?: CollectMode;
  profileFile?: (row: string, round: number) => string | undefined;
}

/**
 * Collects the server's garbage, warms every row up once, then runs `rounds` rounds that each load
 * every row in turn, so slow drift (thermal, other processes, a growing database) hits all rows
 * alike.
 */
export async function runInterleaved(
  server: BenchServer,
  rows: readonly BenchRow[],
  rounds: number,
  log: (message: string) => void,
  { collect = 'section', profileFile }: InterleaveOptions = {},
): Promise<RoundSample[]> {
  log(`warm-up (${rows.map((row) => row.name).join(', ')})`);
  await server.read(true);
  for (const row of rows) {
    const { pattern, limits } = await row.load(-1);
    await measureRound(server, row.name, pattern, limits);
  }
  const samples: RoundSample[] = [];
  for (let round = 0; round < rounds; round += 1) {
    log(`round ${round + 1} of ${rounds}`);
    // Each round starts one row later, so no row always follows the same neighbour (whose garbage
    // or cache churn it would otherwise inherit).
    for (const row of rows.map((_, index) => rows[(index + round) % rows.length]!)) {
      const { pattern, limits } = await row.load(round);
      samples.push(await measureRound(server, row.name, pattern, limits, profileFile?.(row.name, round), collect === 'round'));
    }
  }
  return samples;
}

/** Reads a positive number from the environment, within bounds, else the default. */
export function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}`);
  return value;
}
