import { ConfigError, loadDemoConfig, parseRateLimit } from './demo.config.js';

describe('loadDemoConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadDemoConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      adapter: 'express',
      databaseUrl: undefined,
      redisUrl: undefined,
      redisKeyPrefix: 'gatehouse:',
      logLevel: 'info',
      rateLimitsEnabled: true,
      loginRateLimitAccount: { limit: 20, ttlSeconds: 900 },
      loginRateLimitAccountIp: { limit: 10, ttlSeconds: 900 },
      loginRateLimitIp: { limit: 100, ttlSeconds: 900 },
      userRateLimit: { limit: 1200, ttlSeconds: 60 },
      authFailureLimit: { limit: 100, ttlSeconds: 60 },
      trustProxy: undefined,
      bodyLimitBytes: 16_384,
      accessTokenTtlSeconds: 600,
      tokenAlgorithm: 'EdDSA',
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('reads every value from the environment', () => {
    const config = loadDemoConfig({
      PORT: '8080',
      HTTP_ADAPTER: 'Fastify',
      DATABASE_URL: 'postgres://db/app',
      GATEHOUSE_RATE_LIMITS: 'off',
      LOGIN_RATE_LIMIT_ACCOUNT: '3/60',
      ACCESS_TOKEN_TTL_SECONDS: '900',
      TOKEN_ALGORITHM: 'ES256',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
    });
    expect(config).toMatchObject({
      trustProxy: ['loopback', '10.0.0.0/8'],
      port: 8080,
      adapter: 'fastify',
      databaseUrl: 'postgres://db/app',
      rateLimitsEnabled: false,
      loginRateLimitAccount: { limit: 3, ttlSeconds: 60 },
      accessTokenTtlSeconds: 900,
      tokenAlgorithm: 'ES256',
    });
  });

  it('reads TRUST_PROXY as a hop count', () => {
    expect(loadDemoConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it.each([
    [{ HTTP_ADAPTER: 'koa' }, /HTTP_ADAPTER/],
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: 'abc' }, /PORT/],
    [{ GATEHOUSE_RATE_LIMITS: 'maybe' }, /GATEHOUSE_RATE_LIMITS/],
    [{ DATABASE_URL: 'mysql://db' }, /DATABASE_URL/],
    [{ LOGIN_RATE_LIMIT_IP: '10 per minute' }, /LOGIN_RATE_LIMIT_IP/],
    [{ BODY_LIMIT_BYTES: '-1' }, /BODY_LIMIT_BYTES/],
    [{ ACCESS_TOKEN_TTL_SECONDS: '1.5' }, /ACCESS_TOKEN_TTL_SECONDS/],
    [{ ACCESS_TOKEN_TTL_SECONDS: '3600' }, /between 300 and 900/],
    [{ ACCESS_TOKEN_TTL_SECONDS: '60' }, /between 300 and 900/],
    [{ TOKEN_ALGORITHM: 'HS256' }, /TOKEN_ALGORITHM/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY/],
    [{ USER_RATE_LIMIT: '0/60' }, /USER_RATE_LIMIT/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadDemoConfig(env)).toThrow(ConfigError);
    expect(() => loadDemoConfig(env)).toThrow(message);
  });

  it('parses rate limits as <requests>/<seconds>', () => {
    expect(parseRateLimit('X', ' 600/60 ')).toEqual({ limit: 600, ttlSeconds: 60 });
    expect(() => parseRateLimit('X', '0/60')).toThrow(ConfigError);
    expect(() => parseRateLimit('X', '5/0')).toThrow(ConfigError);
  });
});
