import type { CanActivate, ExecutionContext, INestApplication, Type } from '@nestjs/common';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GatehouseGuard } from '@gatehouse/core';
import { KeyRing } from '@gatehouse/tokens';
import { guardFloor, ringSignatureCheck } from './guard-floor.js';
import { meterGuardSteps, type GuardStepReading } from './guard-steps.js';

/** The guard's time so far inside the server: synchronous `canActivate` runs, and how many were not. */
export interface GuardReading {
  /** Wall time inside `canActivate` calls until they return or throw, timer cost removed, in microseconds. */
  micros: number;
  /** Calls timed (all of them). */
  calls: number;
  /** Calls that returned a promise: a refusal (already rejected, all its work done before returning) or a cache miss waiting for I/O, whose wait is not timed. */
  deferred: number;
  /** Wall time inside `crypto.verify` (the signature checks of first-seen tokens), timer cost removed, in microseconds. */
  verifyMicros: number;
  verifyCalls: number;
  /** The guard's steps (guard-steps.ts), when the meter was asked to time them. */
  steps?: GuardStepReading;
}

/** Mean cost of one `performance.now()` pair, the timer's own share of every timed call. */
function timerCost(samples = 200_000): number {
  let total = 0;
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    total += performance.now() - started;
  }
  return (total * 1000) / samples;
}

/**
 * Times the app's `GatehouseGuard` where it runs: inside the server, on the requests the load
 * generator sends, with real request objects and strings fresh off the socket. Each call is timed
 * until it returns: a cached credential or a first-seen token of the ring is checked synchronously,
 * a refusal returns an already rejected promise, so their wall time is their CPU time; a call that
 * waits for the database is timed only until it returns its promise, and counted apart. Requests
 * of `floorController` are answered by `guardFloor` in the guard's place, timed the same way.
 * With `steps`, each call's steps are timed as well (guard-steps.ts), which slows every call a
 * little. Returns a reader, or `undefined` when the app has no `GatehouseGuard`.
 */
export function meterGuard(app: INestApplication, floorController?: Type, { steps = false }: { steps?: boolean } = {}): GuardMeter | undefined {
  let guard: CanActivate;
  try {
    guard = app.get(GatehouseGuard, { strict: false });
  } catch {
    return undefined;
  }
  const canActivate = guard.canActivate.bind(guard);
  // The floor route's requests are answered by the floor, timed the same way (guard-floor.ts).
  const floor = floorController ? guardFloor(canActivate, signatureCheckOf(app)) : undefined;
  const cost = timerCost();
  let micros = 0;
  let calls = 0;
  let deferred = 0;
  let capturing = false;
  let captured: ExecutionContext | undefined;
  const stepMeter = steps ? meterGuardSteps(guard, cost) : undefined;
  // An own property on the one instance Nest calls: every route and the prototype stay as they are.
  guard.canActivate = (context: ExecutionContext) => {
    if (capturing) {
      captured = context;
      capturing = false;
    }
    const check = floor !== undefined && context.getClass() === floorController ? floor : canActivate;
    // Only the real guard's steps: the floor's route is answered by the floor.
    const timedSteps = stepMeter !== undefined && check === canActivate;
    if (timedSteps) stepMeter.enter();
    const started = performance.now();
    let result: ReturnType<CanActivate['canActivate']> | undefined;
    // `finally`, not catch-and-rethrow: a refusal thrown synchronously (a garbage or refused
    // credential) is a timed call too, and passes on without a second throw of the meter's own
    // (a throw costs microseconds this deep in Nest's call stack).
    try {
      result = check(context);
      return result;
    } finally {
      micros += (performance.now() - started) * 1000 - cost;
      if (timedSteps) stepMeter.leave();
      calls += 1;
      if (result instanceof Promise) deferred += 1;
    }
  };
  const verify = meterVerify(cost);
  return {
    read: () => ({ micros, calls, deferred, ...verify(), ...(stepMeter ? { steps: stepMeter.read() } : {}) }),
    capture: () => {
      captured = undefined;
      capturing = true;
    },
    // The loop calls what the meter calls for that context: the floor on the floor's route.
    loop: (count) => (captured ? loopGuard(captured.getClass() === floorController && floor ? floor : canActivate, captured, count) : Promise.resolve(undefined)),
  };
}

/** The floor's check of a first-seen token's signature, when the app signs access tokens (TokensModule). */
function signatureCheckOf(app: INestApplication): ((token: string) => boolean) | undefined {
  let ring: KeyRing;
  try {
    ring = app.get(KeyRing, { strict: false });
  } catch {
    return undefined;
  }
  return ringSignatureCheck(ring);
}

/** The in-server meter, and the guard timed in a loop on one request's context. */
export interface GuardMeter {
  read(): GuardReading;
  /** Keeps the context of the next guard call (the driver then sends one request). */
  capture(): void;
  /** `loopGuard` on the captured context; undefined when no call was captured. */
  loop(calls: number): Promise<GuardLoopReading | undefined>;
}

/** The guard called again and again on one request's context, in the server, between rounds. */
export interface GuardLoopReading {
  /** Mean wall time per call, in microseconds. */
  micros: number;
  calls: number;
  /** Calls that returned a promise (refusals, or a load) or threw. */
  deferred: number;
}

/**
 * Times `canActivate` on one captured context, `calls` times in batches of 500 with the event loop
 * turning between batches (so rejected promises are taken up and nothing piles up), after a warm-up.
 * The same code and data on every call, so the CPU caches are warm: what the guard's own work costs,
 * apart from what a request's other work evicts (which the per-request meter includes).
 */
async function loopGuard(canActivate: (context: ExecutionContext) => ReturnType<CanActivate['canActivate']>, context: ExecutionContext, calls: number): Promise<GuardLoopReading> {
  const ignore = () => undefined;
  const batch = async (size: number) => {
    let deferred = 0;
    const started = performance.now();
    for (let i = 0; i < size; i += 1) {
      try {
        const result = canActivate(context);
        if (result instanceof Promise) {
          deferred += 1;
          result.catch(ignore);
        }
      } catch {
        // A refusal thrown synchronously (a missing credential, say) is a timed call too.
        deferred += 1;
      }
    }
    const elapsed = performance.now() - started;
    await new Promise((resolve) => setImmediate(resolve));
    return { elapsed, deferred };
  };
  for (let done = 0; done < 5_000; done += 500) await batch(500);
  let elapsed = 0;
  let deferred = 0;
  for (let done = 0; done < calls; done += 500) {
    const timed = await batch(Math.min(500, calls - done));
    elapsed += timed.elapsed;
    deferred += timed.deferred;
  }
  return { micros: (elapsed * 1000) / calls, calls, deferred };
}

/**
 * Times every `crypto.verify` in the server (the access-token verifier calls it through the
 * module's default export, so the one property replaced here is the one it calls): what one
 * signature check costs among real requests, where the CPU caches hold the rest of the request
 * as well, next to the sequential figure of the micro-benchmark.
 */
function meterVerify(cost: number): () => { verifyMicros: number; verifyCalls: number } {
  const original = crypto.verify;
  let verifyMicros = 0;
  let verifyCalls = 0;
  crypto.verify = ((...args: Parameters<typeof crypto.verify>) => {
    const started = performance.now();
    try {
      return (original as (...all: unknown[]) => unknown)(...args);
    } finally {
      verifyMicros += (performance.now() - started) * 1000 - cost;
      verifyCalls += 1;
    }
  }) as typeof crypto.verify;
  return () => ({ verifyMicros, verifyCalls });
}
