/**
 * A bounded, per-instance cache of verified credentials with cross-instance invalidation.
 * Reads are synchronous (the hot path never waits on the network); `invalidate` reaches every
 * instance that shares the same Redis.
 */
export interface GatehouseCache {
  get<T>(key: string): T | undefined;
  set<T>(key: string, value: T, ttlMs: number): void;
  /** Drops the entry here and, when shared, on every other instance. */
  invalidate(key: string): Promise<void>;
  /** Resolves true when the backing store answers (for readiness checks). */
  isReady(): Promise<boolean>;
}

/** Injection token of the `GatehouseCache` port. */
export const GatehouseCache = Symbol('gatehouse:GatehouseCache');
