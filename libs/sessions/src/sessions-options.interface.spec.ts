import { readFileSync } from 'node:fs';
import { documentedDefaults, documentedLiteralDefaults } from '@gatehouse/core/testing';
import { resolveSessionEndpointsOptions, SESSION_ENDPOINTS_DEFAULTS } from './session-endpoints-options.interface.js';
import { resolveSessionsOptions, SESSIONS_DEFAULTS } from './sessions-options.interface.js';

const source = (file: string): string => readFileSync(new URL(file, import.meta.url), 'utf8');

// Each default is written once, in the defaults object; the doc comments must say the same.
describe.each([
  { name: 'SessionsModuleOptions', file: './sessions-options.interface.ts', defaults: SESSIONS_DEFAULTS, resolve: resolveSessionsOptions },
  { name: 'SessionEndpointsOptions', file: './session-endpoints-options.interface.ts', defaults: SESSION_ENDPOINTS_DEFAULTS, resolve: resolveSessionEndpointsOptions },
])('$name defaults', ({ name, file, defaults, resolve }) => {
  it('resolving {} gives exactly the defaults', () => {
    expect(resolve({})).toEqual(defaults);
  });

  it('an explicit undefined keeps each default', () => {
    const undefinedFields = Object.fromEntries(Object.keys(defaults).map((key) => [key, undefined]));
    expect(resolve(undefinedFields)).toEqual(defaults);
  });

  it('documents every default, and each literal one as the defaults object holds it', () => {
    const documented = documentedDefaults(source(file), name);
    expect(Object.keys(defaults).filter((key) => !documented.has(key))).toEqual([]);
    const literals = documentedLiteralDefaults(source(file), name);
    const held = Object.fromEntries(Object.keys(literals).map((key) => [key, (defaults as Record<string, unknown>)[key]]));
    expect(held).toEqual(literals);
  });
});

describe('resolveSessionsOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveSessionsOptions()).toEqual({
      cookieName: '__Host-session',
      sameSite: 'Lax',
      persistentCookie: true,
      idleTimeoutMs: 3 * 86_400_000,
      absoluteTimeoutMs: 7 * 86_400_000,
      touchIntervalMs: 60_000,
      maxSessionsPerSubject: 10,
      cacheTtlMs: 300_000,
      unknownSessionCacheMs: 5_000,
      allowedOrigins: [],
      trustSameSite: false,
      requireOriginHeaders: false,
      csrfHeader: 'x-csrf-token',
      allowedContentTypes: ['application/json'],
      purgeIntervalMs: 3_600_000,
      purgeBatchSize: 500,
      userAgentMaxLength: 512,
    });
  });

  it('caps the default idle timeout by a shorter absolute lifetime', () => {
    expect(resolveSessionsOptions({ absoluteTimeoutMs: 8 * 3_600_000 }).idleTimeoutMs).toBe(8 * 3_600_000);
  });

  it('normalises allowed origins', () => {
    expect(resolveSessionsOptions({ allowedOrigins: ['HTTPS://App.Example.com:443'] }).allowedOrigins).toEqual(['https://app.example.com']);
  });

  it.each([
    [{ idleTimeoutMs: 0 }],
    [{ absoluteTimeoutMs: -1 }],
    [{ idleTimeoutMs: 2000, absoluteTimeoutMs: 1000 }],
    [{ maxSessionsPerSubject: 0 }],
    [{ maxSessionsPerSubject: 1.5 }],
    [{ purgeBatchSize: 0 }],
    [{ purgeIntervalMs: -5 }],
    [{ allowedOrigins: ['app.example.com'] }],
    [{ allowedOrigins: ['https://app.example.com/path'] }],
  ])('rejects %p', (options) => {
    expect(() => resolveSessionsOptions(options)).toThrow(TypeError);
  });
});
