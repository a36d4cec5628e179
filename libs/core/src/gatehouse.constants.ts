/** Injection token of the resolved module options (`ResolvedGatehouseOptions`). */
export const GATEHOUSE_OPTIONS = Symbol('gatehouse:options');
/** Injection token of the shared `RedisBus`, or null when no Redis is configured. */
export const GATEHOUSE_REDIS_BUS = Symbol('gatehouse:redis-bus');
/** Injection token of the resolved rate-limit options (`ResolvedRateLimitOptions`). */
export const GATEHOUSE_RATE_LIMITS = Symbol('gatehouse:rate-limits');
