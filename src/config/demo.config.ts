import { join, resolve } from 'node:path';

export type HttpAdapterName = 'express' | 'fastify';

/** A rate limit: at most `limit` requests per `ttlSeconds`. */
export interface RateLimit {
  limit: number;
  ttlSeconds: number;
}

/** Everything the demo reads from its environment, parsed and checked once at start. */
export interface DemoConfig {
  /** `PORT`, default 3000. */
  port: number;
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `HTTP_ADAPTER`: `express` (default) or `fastify`. */
  adapter: HttpAdapterName;
  /** `DATA_DIR`, default `./data`: the SQLite file and generated signing keys live here. */
  dataDir: string;
  /** `DATABASE_URL`: unset → SQLite at `<DATA_DIR>/gatehouse.sqlite`; `sqlite:<path>`; `postgres://…`. */
  databaseUrl: string | undefined;
  /** `REDIS_URL`: shared cache invalidation, revocation list and rate-limit counters. */
  redisUrl: string | undefined;
  /** `REDIS_KEY_PREFIX`, default `gatehouse:`. */
  redisKeyPrefix: string;
  /** `LOG_LEVEL`, default `info`. */
  logLevel: string;
  /** `GATEHOUSE_RATE_LIMITS=off` disables every rate limit (benchmarks only). */
  rateLimitsEnabled: boolean;
  /** `LOGIN_RATE_LIMIT_ACCOUNT`, default `10/300`: login attempts per account. */
  loginRateLimitAccount: RateLimit;
  /** `LOGIN_RATE_LIMIT_IP`, default `50/300`: login attempts per client IP. */
  loginRateLimitIp: RateLimit;
  /** `API_KEY_RATE_LIMIT`, default `600/60`: requests per API key (each key has its own budget). */
  apiKeyRateLimit: RateLimit;
  /** `ANONYMOUS_RATE_LIMIT`, default `300/60`: requests without a credential per client IP (/64 for IPv6). */
  anonymousRateLimit: RateLimit;
  /** `API_KEY_PREFIX`, default `gh_live`: prefix of issued API keys (e.g. `gh_test` outside production). */
  apiKeyPrefix: string;
  /** `PUBLIC_ORIGIN`: the origin browsers use to reach the demo, for CSRF origin checks. Default: derived from the request. */
  publicOrigin: string | undefined;
  /** `BODY_LIMIT_BYTES`, default 16384: larger request bodies get 413. */
  bodyLimitBytes: number;
  /** `ACCESS_TOKEN_TTL_SECONDS`, default 600: access-token lifetime; outside 300–900 the app refuses to start. */
  accessTokenTtlSeconds: number;
  /** `TOKEN_ALGORITHM`: `EdDSA` (default) or `ES256`, for the signing key generated on first start. */
  tokenAlgorithm: 'EdDSA' | 'ES256';
  /** `DATABASE_CONNECT_TIMEOUT_MS`, default 2000: opening a connection, or waiting for a free one in the pool, fails (503) after this. */
  databaseConnectTimeoutMs: number;
  /** `DATABASE_QUERY_TIMEOUT_MS`, default 5000: a statement (PostgreSQL `statement_timeout` and client-side timeout; SQLite `busy_timeout`) fails (503) after this. */
  databaseQueryTimeoutMs: number;
  /** `REVOCATION_MAX_STALENESS_SECONDS`, default 30: past this without Redis pub/sub or a good database poll, credentials are refused (503). */
  revocationMaxStalenessSeconds: number;
  /** `SHUTDOWN_DRAIN_TIMEOUT_MS`, default 10000: on SIGTERM, in-flight requests get this long to finish before connections are closed. */
  shutdownDrainTimeoutMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses `<requests>/<seconds>`, e.g. `600/60`. */
export function parseRateLimit(name: string, value: string): RateLimit {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const limit = Number(match?.[1]);
  const ttlSeconds = Number(match?.[2]);
  if (!match || limit < 1 || ttlSeconds < 1) {
    throw new ConfigError(`${name} must look like <requests>/<seconds>, e.g. 600/60`);
  }
  return { limit, ttlSeconds };
}

function parsePositiveInt(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new ConfigError(`${name} must be a positive integer`);
  return parsed;
}

function parseApiKeyPrefix(value: string): string {
  if (!/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/.test(value) || value.length > 32) {
    throw new ConfigError('API_KEY_PREFIX must be lower-case letters and digits joined by single underscores, e.g. gh_live');
  }
  return value;
}

/** Checked here as well as by TokensModule, so a bad value stops the demo before it opens any connection. */
function parseAccessTokenTtl(value: string): number {
  const seconds = parsePositiveInt('ACCESS_TOKEN_TTL_SECONDS', value);
  if (seconds < 300 || seconds > 900) {
    throw new ConfigError(`ACCESS_TOKEN_TTL_SECONDS must be between 300 and 900 (5 to 15 minutes), got ${seconds}`);
  }
  return seconds;
}

function parseTokenAlgorithm(value: string): 'EdDSA' | 'ES256' {
  if (value !== 'EdDSA' && value !== 'ES256') throw new ConfigError('TOKEN_ALGORITHM must be EdDSA or ES256');
  return value;
}

/** Reads the demo's configuration; throws `ConfigError` with a clear message on a bad value. */
export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const adapter = (env.HTTP_ADAPTER ?? 'express').toLowerCase();
  if (adapter !== 'express' && adapter !== 'fastify') throw new ConfigError('HTTP_ADAPTER must be express or fastify');
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be a port number');
  const rateLimits = (env.GATEHOUSE_RATE_LIMITS ?? 'on').toLowerCase();
  if (rateLimits !== 'on' && rateLimits !== 'off') throw new ConfigError('GATEHOUSE_RATE_LIMITS must be on or off');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with sqlite: or postgres://');
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    adapter,
    dataDir: resolve(env.DATA_DIR ?? join(process.cwd(), 'data')),
    databaseUrl,
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'gatehouse:',
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitsEnabled: rateLimits === 'on',
    loginRateLimitAccount: parseRateLimit('LOGIN_RATE_LIMIT_ACCOUNT', env.LOGIN_RATE_LIMIT_ACCOUNT ?? '10/300'),
    loginRateLimitIp: parseRateLimit('LOGIN_RATE_LIMIT_IP', env.LOGIN_RATE_LIMIT_IP ?? '50/300'),
    apiKeyRateLimit: parseRateLimit('API_KEY_RATE_LIMIT', env.API_KEY_RATE_LIMIT ?? '600/60'),
    anonymousRateLimit: parseRateLimit('ANONYMOUS_RATE_LIMIT', env.ANONYMOUS_RATE_LIMIT ?? '300/60'),
    apiKeyPrefix: parseApiKeyPrefix(env.API_KEY_PREFIX ?? 'gh_live'),
    publicOrigin: env.PUBLIC_ORIGIN || undefined,
    bodyLimitBytes: env.BODY_LIMIT_BYTES ? parsePositiveInt('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES) : 16_384,
    accessTokenTtlSeconds: parseAccessTokenTtl(env.ACCESS_TOKEN_TTL_SECONDS ?? '600'),
    tokenAlgorithm: parseTokenAlgorithm(env.TOKEN_ALGORITHM ?? 'EdDSA'),
    databaseConnectTimeoutMs: parsePositiveInt('DATABASE_CONNECT_TIMEOUT_MS', env.DATABASE_CONNECT_TIMEOUT_MS ?? '2000'),
    databaseQueryTimeoutMs: parsePositiveInt('DATABASE_QUERY_TIMEOUT_MS', env.DATABASE_QUERY_TIMEOUT_MS ?? '5000'),
    revocationMaxStalenessSeconds: parsePositiveInt('REVOCATION_MAX_STALENESS_SECONDS', env.REVOCATION_MAX_STALENESS_SECONDS ?? '30'),
    shutdownDrainTimeoutMs: parsePositiveInt('SHUTDOWN_DRAIN_TIMEOUT_MS', env.SHUTDOWN_DRAIN_TIMEOUT_MS ?? '10000'),
  };
}

/** Injection token of the demo's `DemoConfig`. */
export const DEMO_CONFIG = Symbol('demo:config');
