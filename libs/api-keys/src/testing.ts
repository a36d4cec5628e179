// Internals that gatehouse's own tests and benchmarks reach: not covered by semver, may change in any release.
export { API_KEY_SECRET_LENGTH, encodeBase62 } from './api-key.format.js';
