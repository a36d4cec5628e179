import { compileTrustProxy, GatehouseConfigurationError, normalizeAllowedOrigins } from '@gatehouse/core';
import { resolveRateLimitOptions } from '@gatehouse/core/testing';
import { ApiKeyEndpointsModule, resolveApiKeysOptions, resolveClientCredentialsOptions } from '@gatehouse/api-keys';
import { resolveSessionsOptions } from '@gatehouse/sessions';
import { resolveSessionEndpointsOptions } from '@gatehouse/sessions/testing';
import { resolveTokensOptions, TokensConfigurationError, type TokensModuleOptions } from '@gatehouse/tokens';
import { resolveIssuersOptions, resolveTokenEndpointsOptions } from '@gatehouse/tokens/testing';

// One shape for every refused module option, whichever library refuses it.
const TOKENS: TokensModuleOptions = { issuer: 'https://auth.test', audience: 'api', refreshTokens: false };
const PROFILE = { issuer: 'https://idp.test/', jwksUrl: 'https://idp.test/jwks', audience: 'api' };

const cases: [string, string, () => unknown][] = [
  ['GatehouseModule', 'rateLimits.user', () => resolveRateLimitOptions({ user: { limit: 0, ttlMs: 1_000 } })],
  ['GatehouseModule', 'rateLimits.redisTimeoutMs', () => resolveRateLimitOptions({ redisTimeoutMs: -1 })],
  ['GatehouseModule', 'trustProxy', () => compileTrustProxy(-1)],
  ['GatehouseModule', 'trustProxy', () => compileTrustProxy(['not-an-address'])],
  ['SessionsModule', 'idleTimeoutMs', () => resolveSessionsOptions({ idleTimeoutMs: 10_000, absoluteTimeoutMs: 5_000 })],
  ['SessionsModule', 'maxSessionsPerSubject', () => resolveSessionsOptions({ maxSessionsPerSubject: 0 })],
  ['SessionsModule', 'allowedOrigins[1]', () => resolveSessionsOptions({ allowedOrigins: ['https://app.test', 'app.test'] })],
  ['SessionEndpointsModule', 'minPasswordLength', () => resolveSessionEndpointsOptions({ minPasswordLength: 4 })],
  ['SessionEndpointsModule', 'paths.signup', () => resolveSessionEndpointsOptions({ paths: { signup: 'x' } as never })],
  ['ApiKeysModule', 'prefix', () => resolveApiKeysOptions({ prefix: 'Bad-Prefix' })],
  ['ApiKeysModule', 'acceptedPrefixes', () => resolveApiKeysOptions({ prefix: 'gh_live', acceptedPrefixes: ['gh_test'] })],
  ['ApiKeysModule', 'header', () => resolveApiKeysOptions({ header: 'X API Key' })],
  ['ApiKeysModule', 'maxKeysPerOwner', () => resolveApiKeysOptions({ maxKeysPerOwner: 0 })],
  ['ApiKeysModule', 'defaultExpiresInDays', () => resolveApiKeysOptions({ defaultExpiresInDays: 400 })],
  ['ApiKeyEndpointsModule', 'paths.purge', () => ApiKeyEndpointsModule.forRoot({ paths: { purge: 'x' } as never })],
  ['ClientCredentialsModule', 'audiences', () => resolveClientCredentialsOptions({ audiences: [] })],
  ['ClientCredentialsModule', 'tokenLifetimeSeconds', () => resolveClientCredentialsOptions({ audiences: ['api'], tokenLifetimeSeconds: 0 })],
  ['TokensModule', 'issuer', () => resolveTokensOptions({ ...TOKENS, issuer: '' })],
  ['TokensModule', 'jwksUrl', () => resolveTokensOptions({ ...TOKENS, jwksUrl: 'http://auth.test/jwks' })],
  ['TokensModule', 'clockToleranceMs', () => resolveTokensOptions({ ...TOKENS, clockToleranceMs: 0 })],
  ['TokensModule', 'allowedOrigins[0]', () => resolveTokensOptions({ ...TOKENS, allowedOrigins: ['https://app.test/path'] })],
  ['TokenEndpointsModule', 'baseUrl', () => resolveTokenEndpointsOptions({ baseUrl: 'https://auth.test/path' })],
  ['TokenEndpointsModule', 'signIn', () => resolveTokenEndpointsOptions({ signIn: 'auth/token' })],
  ['IssuersModule', 'issuers', () => resolveIssuersOptions({ issuers: [] })],
  ['IssuersModule', 'issuers[0].jwksUrl', () => resolveIssuersOptions({ issuers: [{ ...PROFILE, jwksUrl: 'http://idp.test/jwks' }] })],
  ['IssuersModule', 'jwksTimeoutMs', () => resolveIssuersOptions({ issuers: [PROFILE], jwksTimeoutMs: 1 })],
];

describe('configuration errors', () => {
  it.each(cases)('%s option %s is refused with GatehouseConfigurationError', (module, option, resolve) => {
    let thrown: unknown;
    try {
      resolve();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatehouseConfigurationError);
    expect(thrown).toBeInstanceOf(TypeError);
    const error = thrown as GatehouseConfigurationError;
    expect(error).toMatchObject({ name: 'GatehouseConfigurationError', code: 'ERR_GATEHOUSE_CONFIGURATION', module, option });
    expect(error.problem).not.toBe('');
    expect(error.message).toBe(`${module} option ${option}: ${error.problem}`);
  });

  it('keeps TokensConfigurationError as a deprecated name of the same class', () => {
    expect(TokensConfigurationError).toBe(GatehouseConfigurationError);
  });

  it('names the option of a shared helper after its caller', () => {
    expect(() => normalizeAllowedOrigins(['example.com'], { module: 'MyModule', option: 'origins' })).toThrow('MyModule option origins[0]: invalid allowed origin');
  });
});
