/** Injection token of the resolved module options (`ResolvedGatehouseOptions`). */
export const GATEHOUSE_OPTIONS = Symbol('gatehouse:options');
/** Injection token of the shared `RedisBus`, or null when no Redis is configured. */
export const GATEHOUSE_REDIS_BUS = Symbol('gatehouse:redis-bus');
/** Injection token of a boolean: true when `GatehouseModule` registered its guards globally (`globalGuard`). */
export const GATEHOUSE_GLOBAL_GUARD = Symbol('gatehouse:global-guard');
/** Injection token of the instances of the mechanisms declared in `forRoot({ mechanisms })`. */
export const DECLARED_MECHANISMS = Symbol('gatehouse:declared-mechanisms');

/** Injection token of the resolved rate-limit options (`ResolvedRateLimitOptions`). */
export const GATEHOUSE_RATE_LIMITS = Symbol('gatehouse:rate-limits');

/** Injection token aliasing `GatehouseThrottlerGuard`, so the module definition can order the global guards without importing it. */
export const GATEHOUSE_THROTTLER_GUARD = Symbol('gatehouse:throttler-guard');
