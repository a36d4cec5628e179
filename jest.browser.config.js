// `npm run test:browser`: the Chromium suites in test/browser (Debian's /usr/bin/chromium driven by
// playwright-core). Kept out of `npm test`, which needs nothing but Node.
import { shared } from './jest.config.js';

export default {
  // A real browser, sign-ins with argon2id and page loads: seconds per test, not milliseconds.
  testTimeout: 60_000,
  projects: [{ ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] }],
};
