// ESLint flat config: correctness rules only (no formatting), type-aware where it finds real bugs
// (promises nobody awaits, thenables awaited by mistake, non-errors thrown) at little cost.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports the libraries must never make: adapter-specific packages and the demo app. */
const LIBRARY_FORBIDDEN_IMPORTS = {
  paths: [
    { name: 'express', message: 'Libraries are adapter-agnostic: use GatehouseRequest and the cookie helpers from @gatehouse/core.' },
    { name: 'fastify', message: 'Libraries are adapter-agnostic: use GatehouseRequest and the cookie helpers from @gatehouse/core.' },
    { name: '@nestjs/platform-express', message: 'Libraries are adapter-agnostic.' },
    { name: '@nestjs/platform-fastify', message: 'Libraries are adapter-agnostic.' },
  ],
  patterns: [
    {
      group: ['**/src/**', '**/libs/**'],
      message: 'A library imports its own files, other libraries through @gatehouse/<name>, and never the demo app (src/).',
    },
  ],
};

/** The testing entry points serve tests only: shipped code and the apps use the public entries. */
const TESTING_ENTRY = {
  group: ['@gatehouse/*/testing'],
  message: '@gatehouse/<name>/testing is for tests (not covered by semver): import the public @gatehouse/<name> entry.',
};

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'data/**'] },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // Type-aware rules that catch real bugs in async Nest code.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],

      // Syntax-only rules.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest (`getHandler()`) and TypeORM (entity and migration lists) speak in `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      'prefer-const': 'error',
      'no-var': 'error',
      'object-shorthand': ['error', 'properties'],
      // Input validation matches control characters on purpose (names, headers).
      'no-control-regex': 'off',
      // GatehouseError deliberately decides what it carries; wrapping without `cause` is a choice here.
      'preserve-caught-error': 'off',
    },
  },

  {
    files: ['libs/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { ...LIBRARY_FORBIDDEN_IMPORTS, patterns: [...LIBRARY_FORBIDDEN_IMPORTS.patterns, TESTING_ENTRY] }],
      // Libraries log through Nest's Logger (redacted, structured), never the console.
      'no-console': 'error',
    },
  },
  {
    // A library's specs may reach another library's internals through its testing entry.
    files: ['libs/*/src/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', LIBRARY_FORBIDDEN_IMPORTS] },
  },
  {
    files: ['src/**/*.ts', 'examples/**/*.ts', 'examples/**/*.js', 'examples/**/*.mjs'],
    ignores: ['**/*.spec.ts', 'examples/*/test/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TESTING_ENTRY] }] },
  },

  {
    // The example apps compile with their own tsconfig and installed packages (npm run test:examples).
    files: ['examples/**/*.ts'],
    ...tseslint.configs.disableTypeChecked,
  },

  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    // The demo's account page script runs in the browser.
    files: ['src/account/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs', 'examples/cjs-express/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
