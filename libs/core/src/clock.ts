/** Where the libraries read the time from, so tests can freeze it instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Injection token of the `Clock` port. */
export const Clock = Symbol('gatehouse:Clock');

/** The wall clock. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/**
 * A clock that only moves when told to: for tests of expiry, leeway and rotation.
 *
 * @example const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z')); clock.advance(60_000);
 */
export class ManualClock implements Clock {
  constructor(private current: number = Date.now()) {}

  now(): number {
    return this.current;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
