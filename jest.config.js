// Jest runs in native ESM mode (node --experimental-vm-modules); @swc/jest compiles TypeScript to ESM.
import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swc.$schema;
delete swc.jsc.baseUrl;
delete swc.jsc.paths;

export const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: {
    '^@gatehouse/(core|tokens|sessions|api-keys)$': '<rootDir>/libs/$1/src/index.ts',
    '^@gatehouse/(core|tokens|sessions|api-keys)/testing$': '<rootDir>/libs/$1/src/testing.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  resolver: '<rootDir>/test/jest/resolver.cjs',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/[^/]+/dist/'],
  setupFiles: ['<rootDir>/test/jest/esm-bridge.ts'],
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts'] },
    // End-to-end suites start whole apps (some two in one test): 30 s, so a loaded 2-core machine slows them without failing them.
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], testTimeout: 30_000 },
    // Fault injection (own redis-server, a TCP proxy to PostgreSQL, demo child processes): npm run test:faults.
    ...(process.env.GATEHOUSE_FAULTS === '1' ? [{ ...shared, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'] }] : []),
  ],
};
