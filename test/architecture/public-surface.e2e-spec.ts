import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as apiKeys from '@gatehouse/api-keys';
import * as apiKeysTesting from '@gatehouse/api-keys/testing';
import * as core from '@gatehouse/core';
import * as coreTesting from '@gatehouse/core/testing';
import * as sessions from '@gatehouse/sessions';
import * as sessionsTesting from '@gatehouse/sessions/testing';
import * as tokens from '@gatehouse/tokens';
import * as tokensTesting from '@gatehouse/tokens/testing';

// The public surface of each package, pinned: adding or removing an export is a decision that
// shows in this list's diff (and in docs/ and CHANGELOG.md), never a side effect of `export *`.
const libs = resolve(dirname(fileURLToPath(import.meta.url)), '../../libs');

const entries = {
  core: { public: core, testing: coreTesting },
  tokens: { public: tokens, testing: tokensTesting },
  sessions: { public: sessions, testing: sessionsTesting },
  'api-keys': { public: apiKeys, testing: apiKeysTesting },
} as const;

type Lib = keyof typeof entries;

/** The runtime exports (values; type-only exports leave no trace) of each public entry, sorted. */
const PUBLIC: Record<Lib, string[]> = {
  'core': [
    'AccountOwnerGuard', 'AnyScope', 'ApiKeyAuth', 'AuthStrategies', 'Authorize', 'AuthorizeGuard',
    'CREDENTIAL_DEAD_CLOSE_CODE', 'CREDENTIAL_HEADERS', 'ClientAddresses', 'Clock', 'CurrentPrincipal',
    'DurableRevocationStore', 'GATEHOUSE_ASYNC_OPTIONS_TYPE', 'GATEHOUSE_ERRORS', 'GATEHOUSE_OPTIONS',
    'GATEHOUSE_OPTIONS_TYPE', 'GATEHOUSE_RATE_LIMITS', 'GATEHOUSE_RATE_LIMIT_REDIS', 'GATEHOUSE_REDIS_BUS',
    'GatehouseAccounts', 'GatehouseCache', 'GatehouseConfigurationError', 'GatehouseError', 'GatehouseExceptionFilter', 'GatehouseGuard',
    'GatehouseMechanism', 'GatehouseModule', 'GatehouseSockets', 'GatehouseThrottlerGuard', 'HttpErrorFilter',
    'KnownAddresses', 'KnownSecretHashes', 'ManualClock', 'MechanismRegistry', 'MemoryCache',
    'MemoryRateLimitStorage', 'MemoryRevocationStore', 'ORIGIN_CHECK_VARY', 'OptionalAuth',
    'PrincipalEnricher', 'Public', 'RateLimitRedis', 'RateLimitStorage', 'RedisCache', 'RedisRevocationStore',
    'RevocationRecord', 'RevocationStore', 'RoutePolicies', 'SCOPE_TOKEN', 'SECRET_FIELDS', 'Scopes',
    'ScopesGuard', 'SecurityEvents', 'SignIn', 'SignInRoute', 'SystemClock', 'addressBucket',
    'appendSetCookie', 'appendVary', 'applyGatehouseSecurity', 'buildChallenge', 'checkHandshakeOrigin',
    'checkRequestOrigin', 'compileTrustProxy', 'contextPrincipalOf', 'contextRefusal', 'contextRequestOf',
    'coreEntities', 'coreMigrations', 'epochMillis', 'errorSpec', 'formatScope', 'holdsAnyScope',
    'httpRequestOf', 'isPrincipal', 'isSafeMethod', 'isScopeToken', 'isServiceUnavailableError', 'localRateLimitStorage',
    'missingScopes', 'mountController', 'normalizeAllowedOrigins', 'normalizeOrigin', 'parseScope',
    'readCookies', 'readHeader', 'recordHandshake', 'redactUrl', 'registerErrorCodes', 'registerSecretField',
    'registerSecretPattern', 'registeredErrorCodes', 'requestOwnOrigin', 'scopesNotHeld', 'serializeCookie',
    'serializeWrite', 'serializedTransaction', 'sessionRevocationKey', 'subjectRevocationKey',
    'toErrorResponse', 'withDefaults',
  ],
  'tokens': [
    'ACCESS_TOKEN_TYPE', 'AccessTokenIssuer', 'AccessTokenVerifier', 'AuthorizationServerMetadataController',
    'ISSUERS_ASYNC_OPTIONS_TYPE', 'ISSUERS_OPTIONS', 'ISSUERS_OPTIONS_TYPE', 'IntrospectionController',
    'IssuerBearerMechanism', 'IssuerTokenVerifier', 'IssuersModule', 'JWT_MECHANISM', 'JoseBearerStrategy',
    'JwksController', 'JwksDocumentProvider', 'JwtMechanism', 'JwtStrategy', 'KIND_CLAIM', 'KeyRing',
    'OAuthClients', 'OAuthErrorFilter', 'RefreshController', 'RefreshCookie', 'RefreshFamilies',
    'RefreshFamily', 'RefreshPurgeScheduler', 'RefreshToken', 'RefreshTokenStore', 'RevocationController',
    'SIGN_IN_ROUTE', 'SignInController', 'SignOutController', 'TOKENS_ASYNC_OPTIONS_TYPE', 'TOKENS_OPTIONS',
    'TOKENS_OPTIONS_TYPE', 'TOKEN_ENDPOINTS_OPTIONS', 'TokenEndpointContext', 'TokenEndpointsModule',
    'TokenGrants', 'TokensConfigurationError', 'TokensModule', 'TypeOrmRefreshTokenStore', 'ensureKeyFile',
    'ensureSecretFile', 'generateSigningKey', 'importSigningKey', 'issuerSessionRevocationKey', 'issuerSubjectRevocationKey', 'readKeyFile', 'readOAuthParameters',
    'refreshWith', 'resolveTokensOptions', 'rotateKeyFile', 'sessionRevocationKey', 'subjectRevocationKey',
    'toTokenResponse', 'tokenRevocationKey', 'tokensEntities', 'tokensMigrations', 'writeKeyFile',
  ],
  'sessions': [
    'AccountApiKeys', 'CsrfProtection', 'OriginCheckGuard', 'RecentAuthGuard', 'RequireRecentAuth',
    'SESSIONS_ASYNC_OPTIONS_TYPE', 'SESSIONS_OPTIONS', 'SESSIONS_OPTIONS_TYPE', 'SESSION_CACHE_PREFIX',
    'SESSION_MECHANISM', 'SESSION_REVOCATION_PREFIX', 'SESSION_ROUTES', 'SessionCookie',
    'SessionCookieStrategy', 'SessionEndpoints', 'SessionEndpointsModule', 'SessionMechanism',
    'SessionPurger', 'SessionRecord', 'SessionRevocations', 'SessionService', 'SessionStore',
    'SessionStrategy', 'SessionVaryHook', 'SessionVerifier', 'SessionsModule', 'SignedInDevices',
    'TypeOrmSessionStore', 'resolveSessionsOptions', 'sessionMetaFrom', 'sessionsEntities',
    'sessionsMigrations',
  ],
  'api-keys': [
    'API_KEYS_ASYNC_OPTIONS_TYPE', 'API_KEYS_OPTIONS', 'API_KEYS_OPTIONS_TYPE', 'API_KEY_CACHE_PREFIX',
    'API_KEY_MECHANISM', 'API_KEY_REVOCATION_PREFIX', 'API_KEY_ROUTES', 'ApiKey', 'ApiKeyAnomalyDetector',
    'ApiKeyEndpoints', 'ApiKeyEndpointsModule', 'ApiKeyInUrlMiddleware', 'ApiKeyMechanism',
    'ApiKeyOAuthClients', 'ApiKeyStore', 'ApiKeyStrategy', 'ApiKeyUsageRecorder', 'ApiKeyVerifier',
    'ApiKeysModule', 'ApiKeysService', 'CLIENT_CREDENTIALS_ASYNC_OPTIONS_TYPE', 'CLIENT_CREDENTIALS_OPTIONS',
    'CLIENT_CREDENTIALS_OPTIONS_TYPE', 'ClientCredentialsController', 'ClientCredentialsExchange',
    'ClientCredentialsModule', 'ServiceTokenClient', 'ServiceTokenError', 'TypeOrmApiKeyStore',
    'apiKeyChecksum', 'apiKeyHint', 'apiKeyPattern', 'apiKeyTokenSessionId', 'apiKeysEntities',
    'apiKeysMigrations', 'findsApiKeyInUrl', 'generateApiKey', 'hasValidApiKeyChecksum', 'hashApiKey',
    'ipNetwork', 'resolveApiKeysOptions', 'resolveClientCredentialsOptions', 'toApiKeyView',
  ],
};

/** The type-only exports (`export type { … }`, or `type` inside `export { … }`) of each public entry, sorted. */
const PUBLIC_TYPES: Record<Lib, string[]> = {
  'core': [
    'AnyErrorCode', 'ApiKeyAuthOptions', 'ApplyGatehouseSecurityOptions', 'AuthorizationPolicy', 'ConfigurationSite',
    'CookieAttributes', 'CredentialMechanism', 'CustomErrorCode', 'EndpointPath', 'EndpointRoute',
    'ErrorBody', 'ErrorResponse', 'GatehouseErrorCode', 'GatehouseErrorDetails', 'GatehouseErrorOptions', 'GatehouseErrorSpec',
    'GatehouseModuleExtras', 'GatehouseModuleOptions', 'GatehouseOperationExtension',
    'GatehouseRateLimitOptions', 'GatehouseRequest', 'KnownSecret', 'OpenApiDocumentLike', 'OpenApiSecurityScheme',
    'PasswordChangeOutcome', 'Principal', 'PrincipalCredential', 'PrincipalKind', 'RateLimit',
    'RequestOriginOptions', 'ResolvedGatehouseOptions', 'RevocationFeedOptions', 'RevocationFeedStatus',
    'RoutePolicy', 'SecurityEvent', 'SecurityEventEmitter', 'SignInContext', 'ThrottlerStorageRecord',
    'TrustProxy', 'VerifiedAccount', 'WithDefaults',
  ],
  'tokens': [
    'AccessTokenInput', 'ActiveRefreshFamily', 'AuthorizationServerMetadata',
    'ClientAuthenticationParameters', 'FamilyTouch', 'IntrospectionResponse', 'IssuedAccessToken',
    'IssuerAlgorithm', 'IssuerProfile', 'IssuersModuleOptions', 'JwksDocument', 'KeyFileContents',
    'KeyFileRotation', 'OAuthParameters', 'PublicSigningJwk', 'RefreshDelivery', 'RefreshFamilyRecord',
    'RefreshGrant', 'RefreshMeta', 'RefreshTokenRecord', 'ResolvedIssuerProfile', 'ResolvedIssuersOptions',
    'ResolvedTokensOptions', 'ScopeClaim', 'SigningAlgorithm', 'SigningKey', 'SigningKeyJwk', 'SpendOutcome',
    'TokenEndpointsOptions', 'TokenPair', 'TokenResponseBody', 'TokensModuleOptions',
  ],
  'sessions': [
    'ActiveSession', 'ApiKeysAfterPasswordChange', 'DeviceView', 'IssuedSession', 'PasswordChangeResponse',
    'ResolvedSessionsOptions', 'RotateSessionChanges', 'SessionCookieValue', 'SessionCookieVerify',
    'SessionEndReason', 'SessionEndpointName', 'SessionEndpointsOptions', 'SessionMeta', 'SessionSelector',
    'SessionView', 'SessionsModuleOptions', 'SettledApiKey',
  ],
  'api-keys': [
    'ApiKeyEndpointName', 'ApiKeyEndpointsOptions', 'ApiKeyFailureReason', 'ApiKeyRecord', 'ApiKeyStatus',
    'ApiKeyUsageDelta', 'ApiKeyView', 'ApiKeysModuleOptions', 'ClientCredentialsModuleOptions',
    'ClientCredentialsTokenResponse', 'CreateApiKeyInput', 'IssuedApiKey', 'ObservedKey',
    'ResolvedApiKeysOptions', 'ResolvedClientCredentialsOptions', 'RotateApiKeyOptions',
    'ServiceTokenClientOptions',
  ],
};

/** The names an entry file exports only as types, read from its syntax (types leave no runtime trace). */
function typeOnlyExports(lib: Lib): string[] {
  const path = resolve(libs, lib, 'src', 'index.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements) if (statement.isTypeOnly || element.isTypeOnly) names.push(element.name.text);
  }
  return names.sort();
}

/** What tests reach through `@gatehouse/<lib>/testing` (not covered by semver). */
const TESTING: Record<Lib, string[]> = {
  core: ['RedisBus', 'declarePrincipalSlot', 'documentedDefaults', 'documentedLiteralDefaults', 'resolveGatehouseOptions', 'resolveRateLimitOptions', 'setRequestPrincipal'],
  tokens: ['VerifiedTokenCache', 'resolveIssuersOptions', 'resolveTokenEndpointsOptions'],
  sessions: ['deriveCsrfToken', 'hashSessionSecret', 'resolveSessionEndpointsOptions'],
  'api-keys': ['API_KEY_SECRET_LENGTH', 'encodeBase62'],
};

/** Internals that were once exported and must stay out of the public entries. */
const INTERNALS: Record<Lib, string[]> = {
  core: ['RedisBus', 'resolveGatehouseOptions', 'declarePrincipalSlot', 'loadContextPeers', 'SignInThrottle', 'AuthFailureBudget', 'rateLimitHeaders', 'IS_PUBLIC_KEY', 'refusalBody'],
  tokens: ['deriveSuccessor', 'hashesEqual', 'hashRefreshToken', 'generateRefreshToken', 'precheckJws', 'TokenRejection', 'VerifiedTokenCache', 'algorithmOf'],
  sessions: ['hashSessionSecret', 'deriveCsrfToken', 'splitScopes', 'readSignIn', 'readPasswordChange'],
  'api-keys': ['encodeBase62', 'assertApiKeyPrefix', 'SERVICE_TOKEN_REVOCATION_TTL_MS'],
};

const names = Object.keys(entries) as Lib[];

describe('public surface', () => {
  it.each(names)('@gatehouse/%s exports exactly the pinned list', (lib) => {
    expect(Object.keys(entries[lib].public).sort()).toEqual(PUBLIC[lib]);
  });

  it.each(names)('@gatehouse/%s exports exactly the pinned types', (lib) => {
    expect(typeOnlyExports(lib)).toEqual(PUBLIC_TYPES[lib]);
  });

  it.each(names)('@gatehouse/%s exports none of its known internals', (lib) => {
    const exported = new Set(Object.keys(entries[lib].public));
    expect(INTERNALS[lib].filter((name) => exported.has(name))).toEqual([]);
  });

  it.each(names)('@gatehouse/%s/testing exports exactly the pinned list, nothing public', (lib) => {
    const testing = Object.keys(entries[lib].testing).sort();
    expect(testing).toEqual([...TESTING[lib]].sort());
    const exported = new Set(Object.keys(entries[lib].public));
    expect(testing.filter((name) => exported.has(name))).toEqual([]);
  });

  it.each(names)('libs/%s names every export (no `export *`, which would also widen the type-only surface)', (lib) => {
    for (const file of ['index.ts', 'testing.ts']) {
      const text = readFileSync(resolve(libs, lib, 'src', file), 'utf8');
      expect(text.match(/^\s*export\s+(type\s+)?\*/gm) ?? []).toEqual([]);
    }
  });
});
