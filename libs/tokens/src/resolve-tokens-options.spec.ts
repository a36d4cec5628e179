import { GatehouseConfigurationError } from '@gatehouse/core';
import { resolveTokensOptions, TokensConfigurationError } from './resolve-tokens-options.js';
import type { TokensModuleOptions } from './tokens-options.interface.js';

const base = { issuer: 'https://auth.test', audience: 'api' };
const refused = (options: Partial<TokensModuleOptions>): string => {
  try {
    resolveTokensOptions({ ...base, ...options } as TokensModuleOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(GatehouseConfigurationError);
    // The deprecated name still matches.
    expect(error).toBeInstanceOf(TokensConfigurationError);
    expect(error).toMatchObject({ code: 'ERR_GATEHOUSE_CONFIGURATION', module: 'TokensModule' });
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('resolveTokensOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveTokensOptions(base);
    expect(options).toMatchObject({
      acceptedAudiences: ['api'],
      algorithm: 'EdDSA',
      accessTokenLifetimeMs: 600_000,
      clockToleranceMs: 30_000,
      maxTokenLength: 8192,
      verifiedTokenCacheSize: 100_000,
      refreshTokens: true,
      refreshAbsoluteLifetimeMs: 30 * 86_400_000,
      refreshIdleLifetimeMs: 14 * 86_400_000,
      refreshReuseLeewayMs: 2000,
      refreshSecretConfigured: false,
      maxFamiliesPerSubject: 10,
      jwksMaxAgeMs: 300_000,
      refreshCookieName: '__Secure-refresh_token',
      refreshCookiePath: '/auth/refresh',
    });
    expect(options.refreshSecret).toHaveLength(32);
  });

  it.each([299_999, 900_001, 60 * 60_000])('refuses an access-token lifetime of %d ms with a message naming the bounds', (lifetime) => {
    expect(refused({ accessTokenLifetimeMs: lifetime })).toMatch(/^TokensModule option accessTokenLifetimeMs: must be between 5 and 15 minutes/);
  });

  it('accepts the bounds themselves', () => {
    expect(resolveTokensOptions({ ...base, accessTokenLifetimeMs: 300_000 }).accessTokenLifetimeMs).toBe(300_000);
    expect(resolveTokensOptions({ ...base, accessTokenLifetimeMs: 900_000 }).accessTokenLifetimeMs).toBe(900_000);
  });

  it.each([
    [{ clockToleranceMs: 61_000 }, /^TokensModule option clockToleranceMs: must be an integer between 1000 and 60000/],
    [{ refreshReuseLeewayMs: 5001 }, /^TokensModule option refreshReuseLeewayMs: must be an integer between 0 and 5000/],
    [{ refreshSecret: 'short' }, /at least 32 bytes/],
    [{ issuer: '' }, /^TokensModule option issuer: is required/],
    [{ audience: undefined }, /^TokensModule option audience: is required/],
    [{ jwksUrl: 'ftp://x' }, /^TokensModule option jwksUrl: must be an https: URL/],
    [{ jwksUrl: 'not a url' }, /^TokensModule option jwksUrl: is not a valid URL/],
    [{ jwksUrl: 'http://auth.test/jwks' }, /^TokensModule option jwksUrl: must be an https: URL/],
    [{ jwksUrl: 'http://127.0.0.1:8080/jwks' }, /^TokensModule option jwksUrl: must be an https: URL/],
    [{ jwksUrl: 'http://auth.test/jwks', allowInsecureLoopback: true }, /^TokensModule option jwksUrl: must be an https: URL/],
    [{ jwksUrl: 'https://auth.test/jwks', keysFile: './k.json' }, /either jwksUrl/],
    [{ jwksUrl: 'https://auth.test/jwks', refreshTokens: true }, /cannot issue them/],
    [{ keys: '{not json' }, /^TokensModule option keys: is not valid JSON/],
    [{ algorithm: 'HS256' as never }, /^TokensModule option algorithm: must be one of EdDSA, ES256/],
    [{ refreshCookieName: 'refresh' }, /__Secure- or __Host-/],
    [{ allowedOrigins: ['https://app.test/path'] }, /^TokensModule option allowedOrigins\[0\]: invalid allowed origin/],
  ] as const)('refuses %j', (options, message) => {
    expect(refused(options as Partial<TokensModuleOptions>)).toMatch(message);
  });

  it('reads keys from JSON text (an env variable), as an array or a JWKS', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'x' };
    expect(resolveTokensOptions({ ...base, keys: JSON.stringify([jwk]) }).keys).toEqual([jwk]);
    expect(resolveTokensOptions({ ...base, keys: JSON.stringify({ keys: [jwk] }) }).keys).toEqual([jwk]);
  });

  it('allows an http: jwksUrl only on loopback hosts, and only with allowInsecureLoopback', () => {
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:9000']) {
      expect(resolveTokensOptions({ ...base, jwksUrl: `http://${host}/jwks`, allowInsecureLoopback: true }).jwksUrl?.protocol).toBe('http:');
    }
    expect(resolveTokensOptions({ ...base, jwksUrl: 'https://auth.test/jwks' }).jwksUrl?.href).toBe('https://auth.test/jwks');
  });

  it('turns refresh tokens off in resource-server mode', () => {
    expect(resolveTokensOptions({ ...base, jwksUrl: 'https://auth.test/.well-known/jwks.json' }).refreshTokens).toBe(false);
  });
});
