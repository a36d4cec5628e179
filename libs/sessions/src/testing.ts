// Internals that gatehouse's own tests and benchmarks reach: not covered by semver, may change in any release.
export { deriveCsrfToken, hashSessionSecret } from './session-secret.js';
export { resolveSessionEndpointsOptions } from './session-endpoints-options.interface.js';
