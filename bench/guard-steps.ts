import { performance } from 'node:perf_hooks';
import type { CredentialMechanism } from '@gatehouse/core';
import type { BenchSection } from './bench-goals.js';
import { formatNumber, markdownTable } from './bench-table.js';

/**
 * The steps of one `GatehouseGuard.canActivate` call that `BENCH_GUARD_STEPS=1` times, in the
 * order the guard takes them. None calls another, so their times add up:
 * - `policy`: the route's policy (`RoutePolicies.get`, cached per handler);
 * - `request`: the request object (`getRequest`);
 * - `resolve`: the route's mechanisms (`resolve`, cached per policy);
 * - `extract`: every mechanism's `extract` the guard calls to find the credential;
 * - `check`: the chosen mechanism's `authenticate` (cache lookups, expiry, revocation, CSRF; a
 *   first-seen token's signature);
 * - `enrich`: the `PrincipalEnricher` hook;
 * - `attach`: storing the principal on the request (`attach`);
 * - `refusal`: a refused credential's answer (`refused`: the failure budget and the rejected promise).
 */
export const GUARD_STEPS = ['policy', 'request', 'resolve', 'extract', 'check', 'enrich', 'attach', 'refusal'] as const;
export type GuardStep = (typeof GUARD_STEPS)[number];

/** A value per step. */
export function stepRecord(value: (step: GuardStep) => number): Record<GuardStep, number> {
  return Object.fromEntries(GUARD_STEPS.map((step) => [step, value(step)])) as Record<GuardStep, number>;
}

/** Cumulative step times in microseconds (warm timer cost removed), with the calls they cover. */
export interface GuardStepReading {
  calls: number;
  /** An empty `performance.now()` pair at the start of each call, not corrected: what the instrument costs in place. */
  timerMicros: number;
  micros: Record<GuardStep, number>;
  /** How many times each step ran (`extract` once per mechanism read). */
  counts: Record<GuardStep, number>;
}

/** The guard's parts the step meter wraps: its own hooks, its policy table and its registry. */
interface GuardInternals {
  policies: object;
  registry: { all(): readonly CredentialMechanism[] };
  getRequest: unknown;
  resolve: unknown;
  enrich: unknown;
  attach: unknown;
  refused: unknown;
}

/** Wraps an object's method as an own property; the original stays on its prototype. */
type Wrap = (owner: object, name: string, step: GuardStep) => void;

/**
 * Times the guard's steps inside the server, on the calls between `enter()` and `leave()` (the
 * meter's timed guard calls; a step run at any other time, by another guard or a GraphQL seam, is
 * not counted). Each step's method is replaced by an own property on the one instance the guard
 * calls (the guard, its `RoutePolicies`, each registered mechanism), so no prototype changes.
 * The wrappers cost time of their own, about one `performance.now()` pair and one call each: a
 * call timed with steps takes longer than the guard meter's figure without them, and the
 * difference shows in "the rest".
 */
export function meterGuardSteps(guard: object, timerCost: number): { enter(): void; leave(): void; read(): GuardStepReading } {
  const internals = guard as unknown as GuardInternals;
  const micros = stepRecord(() => 0);
  const counts = stepRecord(() => 0);
  let calls = 0;
  let timerMicros = 0;
  let active = false;
  const wrap: Wrap = (owner, name, step) => {
    const original = (owner as Record<string, unknown>)[name];
    if (typeof original !== 'function') throw new Error(`The step meter found no ${name}() to time`);
    (owner as Record<string, unknown>)[name] = function timedStep(this: unknown, ...args: unknown[]): unknown {
      if (!active) return (original as (...all: unknown[]) => unknown).apply(this, args);
      const started = performance.now();
      try {
        return (original as (...all: unknown[]) => unknown).apply(this, args);
      } finally {
        micros[step] += (performance.now() - started) * 1000 - timerCost;
        counts[step] += 1;
      }
    };
  };
  wrap(internals.policies, 'get', 'policy');
  wrap(guard, 'getRequest', 'request');
  wrap(guard, 'resolve', 'resolve');
  wrap(guard, 'enrich', 'enrich');
  wrap(guard, 'attach', 'attach');
  wrap(guard, 'refused', 'refusal');
  // Mechanisms register themselves when the app initialises, which may come after the meter (the
  // bench server's app initialises in `listen`): each call wraps any registered since the last.
  const wrapped = new WeakSet<object>();
  let registered = 0;
  const wrapMechanisms = () => {
    const mechanisms = internals.registry.all();
    if (mechanisms.length === registered) return;
    for (const mechanism of mechanisms) {
      if (wrapped.has(mechanism)) continue;
      wrap(mechanism, 'extract', 'extract');
      wrap(mechanism, 'authenticate', 'check');
      wrapped.add(mechanism);
    }
    registered = mechanisms.length;
  };
  wrapMechanisms();
  return {
    enter: () => {
      wrapMechanisms();
      const started = performance.now();
      timerMicros += (performance.now() - started) * 1000;
      calls += 1;
      active = true;
    },
    leave: () => {
      active = false;
    },
    read: () => ({ calls, timerMicros, micros: { ...micros }, counts: { ...counts } }),
  };
}

/** `after − before` of two cumulative readings. */
export function stepsBetween(before: GuardStepReading, after: GuardStepReading): GuardStepReading {
  const change = (of: (reading: GuardStepReading) => Record<GuardStep, number>) => stepRecord((step) => of(after)[step] - of(before)[step]);
  return { calls: after.calls - before.calls, timerMicros: after.timerMicros - before.timerMicros, micros: change((r) => r.micros), counts: change((r) => r.counts) };
}

/**
 * Per adapter and row, every round added up: the guard's time per call with the step meter on,
 * each step's share, and the rest (the guard's own code between the steps, and the wrappers).
 * Rows whose rounds carry no step reading are left out; empty when none does.
 */
export function guardStepsTable(sections: readonly BenchSection[]): string {
  const rows: string[][] = [];
  for (const { adapter, algorithm, samples } of sections) {
    const label = algorithm === 'EdDSA' ? adapter : `${adapter} (${algorithm})`;
    const names = [...new Set(samples.map((sample) => sample.row))];
    for (const name of names) {
      const timed = samples.filter((sample) => sample.row === name && sample.guardSteps !== undefined && sample.guardMicros !== undefined);
      const calls = timed.reduce((sum, sample) => sum + sample.guardSteps!.calls, 0);
      if (calls === 0) continue;
      const guardCalls = timed.reduce((sum, sample) => sum + (sample.guardCalls ?? 0), 0);
      const total = timed.reduce((sum, sample) => sum + sample.guardMicros!, 0) / guardCalls;
      const step = (which: GuardStep) => timed.reduce((sum, sample) => sum + sample.guardSteps!.micros[which], 0) / calls;
      const steps = GUARD_STEPS.map(step);
      const timer = timed.reduce((sum, sample) => sum + sample.guardSteps!.timerMicros, 0) / calls;
      const rest = total - steps.reduce((sum, value) => sum + value, 0);
      rows.push([label, name, formatNumber(calls), formatNumber(total, 2), ...steps.map((value) => formatNumber(value, 2)), formatNumber(rest, 2), formatNumber(timer, 2)]);
    }
  }
  if (rows.length === 0) return '';
  return markdownTable(
    ['adapter', 'row', 'calls', 'guard µs/call', ...GUARD_STEPS, 'the rest', 'one timer pair'],
    rows,
    ['left', 'left', ...Array<'right'>(GUARD_STEPS.length + 4).fill('right')],
  );
}
