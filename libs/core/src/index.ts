// The public API of @gatehouse/core. Internals stay unexported; tests reach them through
// @gatehouse/core/testing (not covered by semver). A surface test pins this list.

// Module, options and the providers it registers.
export { GatehouseModule } from './gatehouse.module.js';
export { GATEHOUSE_ASYNC_OPTIONS_TYPE, GATEHOUSE_OPTIONS_TYPE, type GatehouseModuleExtras } from './gatehouse.module-definition.js';
export type { GatehouseModuleOptions, ResolvedGatehouseOptions } from './gatehouse-options.interface.js';
export { GATEHOUSE_OPTIONS, GATEHOUSE_RATE_LIMITS, GATEHOUSE_REDIS_BUS } from './gatehouse.constants.js';
export { MechanismRegistry } from './mechanism-registry.js';
export { RoutePolicies, type RoutePolicy } from './route-policy.js';

// Guards and exception filters.
export { GatehouseGuard } from './gatehouse.guard.js';
export { ScopesGuard } from './scopes.guard.js';
export { AuthorizeGuard } from './authorize.guard.js';
export { AccountOwnerGuard } from './account-owner.guard.js';
export { GatehouseExceptionFilter, HttpErrorFilter } from './gatehouse-exception.filter.js';

// Decorators.
export { Public } from './public.decorator.js';
export { Scopes } from './scopes.decorator.js';
export { AnyScope } from './any-scope.decorator.js';
export { ApiKeyAuth, type ApiKeyAuthOptions } from './api-key-auth.decorator.js';
export { AuthStrategies } from './auth-strategies.decorator.js';
export { Authorize } from './authorize.decorator.js';
export { OptionalAuth } from './optional-auth.decorator.js';
export { CurrentPrincipal } from './current-principal.decorator.js';
export { SignInRoute } from './sign-in-route.decorator.js';

// The principal and scopes.
export type { Principal, PrincipalCredential, PrincipalKind } from './principal.interface.js';
export { isPrincipal, missingScopes } from './principal.guards.js';
export { formatScope, holdsAnyScope, isScopeToken, parseScope, SCOPE_TOKEN, scopesNotHeld } from './scope.js';

// Extension points: mechanisms, enrichers, policies.
export { GatehouseMechanism } from './gatehouse.mechanism.js';
export type { CredentialMechanism, OpenApiSecurityScheme } from './credential-mechanism.interface.js';
export { PrincipalEnricher } from './principal-enricher.interface.js';
export type { AuthorizationPolicy } from './authorization-policy.interface.js';

// Ports (interface plus same-name Symbol token) and their implementations.
export { Clock, ManualClock, SystemClock } from './clock.js';
export { GatehouseCache } from './cache.interface.js';
export { MemoryCache } from './memory.cache.js';
export { RedisCache } from './redis.cache.js';
export { RevocationStore } from './revocation-store.interface.js';
export { MemoryRevocationStore } from './memory-revocation.store.js';
export { RedisRevocationStore } from './redis-revocation.store.js';
export { DurableRevocationStore, type RevocationFeedOptions, type RevocationFeedStatus } from './durable-revocation.store.js';
export { SecurityEvents, type SecurityEvent, type SecurityEventEmitter } from './security-events.js';
export { GatehouseAccounts, type PasswordChangeOutcome, type SignInContext, type VerifiedAccount } from './accounts.port.js';
export { SignIn } from './sign-in.service.js';
export { KnownSecretHashes, type KnownSecret } from './known-secret-hashes.js';

// Entities, migrations and column helpers.
export { coreEntities } from './core.entities.js';
export { RevocationRecord } from './revocation.entity.js';
export { coreMigrations } from './migrations/index.js';
export { epochMillis } from './epoch-millis.transformer.js';
export { sessionRevocationKey, subjectRevocationKey } from './revocation-keys.js';
export { serializedTransaction, serializeWrite } from './write-queue.js';

// Errors and error codes.
export { GatehouseError, type GatehouseErrorDetails, type GatehouseErrorOptions } from './gatehouse.error.js';
export { GATEHOUSE_ERRORS, type GatehouseErrorCode, type GatehouseErrorSpec } from './gatehouse-error-codes.js';
export { errorSpec, registeredErrorCodes, registerErrorCodes, type AnyErrorCode, type CustomErrorCode } from './error-catalog.js';
export { toErrorResponse, type ErrorBody, type ErrorResponse } from './error-response.js';
export { isServiceUnavailableError } from './service-unavailable.js';

// Execution contexts (HTTP, GraphQL, WebSocket, RPC).
export { contextPrincipalOf, contextRequestOf } from './execution-context.seam.js';
export { contextRefusal } from './context-refusal.js';
export { GatehouseSockets } from './gatehouse-sockets.js';
export { CREDENTIAL_DEAD_CLOSE_CODE, recordHandshake } from './socket-request.seam.js';

// Helpers for mechanism authors: requests, cookies, origins, challenges, redaction, mounting.
export { httpRequestOf, readHeader, type GatehouseRequest } from './gatehouse-request.interface.js';
export { appendSetCookie, readCookies, serializeCookie, type CookieAttributes } from './cookies.js';
export {
  appendVary,
  checkHandshakeOrigin,
  checkRequestOrigin,
  isSafeMethod,
  normalizeAllowedOrigins,
  normalizeOrigin,
  ORIGIN_CHECK_VARY,
  requestOwnOrigin,
  type RequestOriginOptions,
} from './request-origin.js';
export { buildChallenge } from './challenge.js';
export { CREDENTIAL_HEADERS, redactUrl, registerSecretField, registerSecretPattern, SECRET_FIELDS } from './redaction.js';
export { mountController, type EndpointPath, type EndpointRoute } from './mounted-controller.js';

// Rate limits: the guard, storage ports and client addresses.
export { GatehouseThrottlerGuard } from './gatehouse-throttler.guard.js';
export type { GatehouseRateLimitOptions, RateLimit } from './rate-limit-options.interface.js';
export { RateLimitStorage, type ThrottlerStorageRecord } from './rate-limit-storage.interface.js';
export { localRateLimitStorage, MemoryRateLimitStorage } from './memory-rate-limit.storage.js';
export { GATEHOUSE_RATE_LIMIT_REDIS } from './rate-limits.providers.js';
export { RateLimitRedis } from './rate-limit-redis.js';
export { KnownAddresses } from './known-addresses.interface.js';
export { ClientAddresses } from './client-addresses.js';
export { addressBucket, compileTrustProxy, type TrustProxy } from './client-address.js';

// OpenAPI.
export {
  applyGatehouseSecurity,
  type ApplyGatehouseSecurityOptions,
  type GatehouseOperationExtension,
  type OpenApiDocumentLike,
} from './openapi-security.js';

// Module options of every library: their defaults and configuration errors.
export { GatehouseConfigurationError, type ConfigurationSite } from './configuration-error.js';
export { withDefaults, type WithDefaults } from './options-defaults.js';
