// The public API of @gatehouse/api-keys. Internals stay unexported; tests reach them through
// @gatehouse/api-keys/testing (not covered by semver). A surface test pins this list.

// Modules, options and entities.
export { ApiKeysModule } from './api-keys.module.js';
export { API_KEYS_ASYNC_OPTIONS_TYPE, API_KEYS_OPTIONS_TYPE } from './api-keys.module-definition.js';
export { resolveApiKeysOptions, type ApiKeysModuleOptions, type ResolvedApiKeysOptions } from './api-keys-options.interface.js';
export { ClientCredentialsModule } from './client-credentials.module.js';
export { CLIENT_CREDENTIALS_ASYNC_OPTIONS_TYPE, CLIENT_CREDENTIALS_OPTIONS_TYPE } from './client-credentials.module-definition.js';
export {
  resolveClientCredentialsOptions,
  type ClientCredentialsModuleOptions,
  type ResolvedClientCredentialsOptions,
} from './client-credentials-options.interface.js';
export { ApiKey, apiKeysEntities } from './api-key.entity.js';
export { apiKeysMigrations } from './migrations/index.js';

// Services apps call.
export { ApiKeysService, type CreateApiKeyInput, type IssuedApiKey, type RotateApiKeyOptions } from './api-keys.service.js';
export { ApiKeyVerifier, hashApiKey } from './api-key.verifier.js';
export { ApiKeyUsageRecorder } from './api-key-usage.recorder.js';
export { ApiKeyAnomalyDetector, type ApiKeyFailureReason, type ObservedKey } from './api-key-anomaly.detector.js';
export { ClientCredentialsExchange, type ClientCredentialsTokenResponse } from './client-credentials.exchange.js';
export { ApiKeyOAuthClients } from './api-key-oauth-clients.js';
export { toApiKeyView, type ApiKeyStatus, type ApiKeyView } from './api-key.view.js';

// Mechanism, passport strategy and middleware.
export { ApiKeyMechanism } from './api-key.mechanism.js';
export { ApiKeyStrategy } from './api-key.strategy.js';
export { ApiKeyInUrlMiddleware } from './api-key-in-url.middleware.js';

// Endpoints: the key management module and the token endpoint's controller.
export { API_KEY_ROUTES, ApiKeyEndpointsModule, type ApiKeyEndpointName, type ApiKeyEndpointsOptions } from './api-key-endpoints.module.js';
export { ApiKeyEndpoints } from './api-key-endpoints.controller.js';
export { ClientCredentialsController } from './client-credentials.controller.js';

// Key format helpers.
export { apiKeyChecksum, apiKeyHint, apiKeyPattern, generateApiKey, hasValidApiKeyChecksum } from './api-key.format.js';
export { findsApiKeyInUrl } from './api-key-in-url.js';
export { ipNetwork } from './ip-network.js';

// Ports (interface plus same-name Symbol token) and their implementations.
export { ApiKeyStore, type ApiKeyRecord, type ApiKeyUsageDelta } from './api-key-store.interface.js';
export { TypeOrmApiKeyStore } from './typeorm-api-key.store.js';

// Client for services that trade a key for tokens.
export { ServiceTokenClient, ServiceTokenError, type ServiceTokenClientOptions } from './service-token.client.js';

// Constants and injection tokens.
export {
  API_KEY_CACHE_PREFIX,
  API_KEY_MECHANISM,
  API_KEY_REVOCATION_PREFIX,
  API_KEYS_OPTIONS,
  apiKeyTokenSessionId,
  CLIENT_CREDENTIALS_OPTIONS,
} from './api-keys.constants.js';
