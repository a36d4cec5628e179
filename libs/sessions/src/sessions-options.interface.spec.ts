import { resolveSessionsOptions } from './sessions-options.interface.js';

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
