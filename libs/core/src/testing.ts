// Internals that gatehouse's own tests and benchmarks reach: not covered by semver, may change in any release.
export { RedisBus, type BusMessage } from './redis.bus.js';
export { resolveGatehouseOptions } from './gatehouse-options.interface.js';
export { resolveRateLimitOptions } from './rate-limit-options.interface.js';
export { documentedDefaults, documentedLiteralDefaults } from './documented-defaults.js';
export { declarePrincipalSlot, setRequestPrincipal } from './principal-slot.js';
