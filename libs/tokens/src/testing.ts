// Internals that gatehouse's own tests and benchmarks reach: not covered by semver, may change in any release.
export { VerifiedTokenCache, type VerifiedToken } from './verified-token.cache.js';
export { resolveIssuersOptions } from './issuer-profile.interface.js';
export { resolveTokenEndpointsOptions } from './token-endpoints-options.interface.js';
