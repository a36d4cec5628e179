import type { INestApplication, Type } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { meterGuard, type GuardLoopReading, type GuardMeter, type GuardReading } from './guard-meter.js';

/**
 * Messages between the bench driver and a server it started with `fork()`. `collect` asks for a
 * full garbage collection before the CPU reading (the server runs with `--expose-gc`): before a
 * section's warm-up, so that it starts from a collected heap, or (`BENCH_COLLECT=round`) before
 * every round. `guard` is the in-server guard meter (see guard-meter.ts), absent when the app has
 * no `GatehouseGuard`.
 */
export type ToServer =
  | { type: 'cpu'; id: number; collect?: boolean }
  | { type: 'guard-capture'; id: number }
  | { type: 'guard-loop'; id: number; calls: number }
  | { type: 'profile'; id: number; file?: string }
  | { type: 'stop' };
export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'cpu'; id: number; micros: number; systemMicros: number; mainMicros?: number; gcMicros: number; majorGcs: number; guard?: GuardReading }
  | { type: 'profiled'; id: number }
  | { type: 'guard-captured'; id: number }
  | { type: 'guard-loop'; id: number; loop?: GuardLoopReading }
  /** The server could not start (no `id`), or could not answer the request `id`. */
  | { type: 'failed'; id?: number; message: string };

/** Server CPU time so far (user + system, every thread of the process), in microseconds. */
export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * The system part of `cpuMicros`: time in the kernel on the process's behalf (its socket reads and
 * writes, and waking whoever waits on the other end of them), in microseconds.
 */
export function systemMicros(): number {
  return process.cpuUsage().system;
}

/**
 * The main thread's CPU time so far, in microseconds: the scheduler's own count for that thread
 * (`/proc/self/task/<pid>/schedstat`, nanoseconds, Linux). The rest of `cpuMicros` is the other
 * threads: V8's workers (concurrent marking, parallel scavenging, optimising compilation) and
 * libuv's pool. Undefined where there is no such file.
 */
export function mainThreadMicros(): number | undefined {
  try {
    const nanos = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]);
    return Number.isFinite(nanos) ? nanos / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The main thread's garbage-collection pauses so far (V8's `gc` performance entries), in
 * microseconds, and how many of them ended a major (mark-compact) collection. V8 reports a pause
 * after it ends, through the event loop: `settle` waits for that before a reading. Concurrent
 * marking and the helper threads of a parallel scavenge are not in a pause; their CPU is in
 * `cpuMicros`.
 */
function gcPauses(): { read(): { micros: number; majors: number }; settle(): Promise<void> } {
  let micros = 0;
  let majors = 0;
  const add = (entries: readonly { duration: number; detail?: unknown }[]) => {
    for (const entry of entries) {
      micros += entry.duration * 1000;
      if ((entry.detail as { kind?: number } | undefined)?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) majors += 1;
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    read: () => {
      add(observer.takeRecords());
      return { micros, majors };
    },
    settle: () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve))),
  };
}

/**
 * Waits until the process's CPU stops growing while the main thread idles: after a full
 * collection, V8's workers go on sweeping for some milliseconds (tens of milliseconds of CPU on a
 * large heap), which a reading taken at once would charge to the next round, a fixed cost that
 * weighs most on the rounds with the fewest requests. Checks every 10 ms, for at most a second.
 */
async function quiesce(): Promise<void> {
  let before = cpuMicros();
  for (let check = 0; check < 100; check += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = cpuMicros();
    // An idle process still spends a little on timers and the IPC channel: 5 % of one core is quiet.
    if (now - before < 500) return;
    before = now;
  }
}

function send(message: FromServer): void {
  process.send?.(message);
}

/**
 * The server's CPU profiler (V8's, main thread, what `node --cpu-prof` records), driven over the
 * IPC channel so that a profile covers exactly one measured round: without `file` it starts, with
 * `file` it stops and writes the `.cpuprofile` there.
 */
function profiler(): (file: string | undefined) => Promise<void> {
  let session: Session | undefined;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session!.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  return async (file) => {
    if (file === undefined) {
      session ??= new Session();
      session.connect();
      await post('Profiler.enable');
      // 100 µs between samples: a cache miss is a few hundred µs, a cached check a few.
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
      return;
    }
    if (!session) return;
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
  };
}

/**
 * Runs inside the benchmarked server process: listens on an ephemeral loopback port, reports it,
 * then answers CPU-time queries over the IPC channel (not HTTP, so reading the meter costs the
 * measured routes nothing) until told to stop or the driver goes away. The requests of
 * `floorController` are answered by the guard floor (guard-floor.ts).
 */
export async function serveForBench(start: () => Promise<INestApplication>, floorController?: Type): Promise<void> {
  if (!process.send) throw new Error('Start this file through the bench driver (it needs an IPC channel).');
  let app: INestApplication;
  let meter: GuardMeter | undefined;
  try {
    app = await start();
    // BENCH_GUARD_STEPS=1 times the guard's steps too (guard-steps.ts): a diagnosis, not the goals' measure.
    meter = meterGuard(app, floorController, { steps: process.env.BENCH_GUARD_STEPS === '1' });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
  const stop = async () => {
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  const profile = profiler();
  const pauses = gcPauses();
  process.on('message', (message: ToServer) => {
    if (message.type === 'profile') {
      void profile(message.file).then(
        () => send({ type: 'profiled', id: message.id }),
        (error: unknown) => send({ type: 'failed', id: message.id, message: String(error) }),
      );
    } else if (message.type === 'cpu') {
      const collected = message.collect === true && typeof (globalThis as { gc?: () => void }).gc === 'function';
      if (collected) (globalThis as unknown as { gc: () => void }).gc();
      // The collection's own pause is reported through the event loop, and V8's workers go on
      // sweeping after it returns: both belong before the reading, not to the round after it.
      void (collected ? pauses.settle().then(quiesce) : pauses.settle()).then(() => {
        const gc = pauses.read();
        send({
          type: 'cpu',
          id: message.id,
          micros: cpuMicros(),
          systemMicros: systemMicros(),
          mainMicros: mainThreadMicros(),
          gcMicros: gc.micros,
          majorGcs: gc.majors,
          ...(meter ? { guard: meter.read() } : {}),
        });
      });
    } else if (message.type === 'guard-capture') {
      meter?.capture();
      send({ type: 'guard-captured', id: message.id });
    } else if (message.type === 'guard-loop') {
      void (meter ? meter.loop(message.calls) : Promise.resolve(undefined)).then(
        (loop) => send({ type: 'guard-loop', id: message.id, ...(loop ? { loop } : {}) }),
        (error: unknown) => send({ type: 'failed', id: message.id, message: String(error) }),
      );
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  // The driver died or closed the channel: never linger as an orphan.
  process.on('disconnect', () => void stop());
  const address = app.getHttpServer().address() as { port: number };
  send({ type: 'listening', port: address.port });
}
