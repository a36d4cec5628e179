/** Injection token of the resolved module options (`ResolvedApiKeysOptions`). */
export const API_KEYS_OPTIONS = Symbol('gatehouse:api-keys:options');
/** The mechanism and passport strategy name. */
export const API_KEY_MECHANISM = 'api-key';
/** Namespace of verified and refused keys in the `GatehouseCache` (`api-key:<sha256 hex>`). */
export const API_KEY_CACHE_PREFIX = 'api-key:';
/** Namespace of revoked keys in the `RevocationStore` (`api-key:<id>`). */
export const API_KEY_REVOCATION_PREFIX = 'api-key:';
/** Injection token of the resolved client-credentials options. */
export const CLIENT_CREDENTIALS_OPTIONS = Symbol('gatehouse:client-credentials:options');
/**
 * The `sid` of service tokens issued for an API key: revoking the key revokes `sid:<this>` in the
 * revocation store, which the tokens library checks on every verification.
 */
export const apiKeyTokenSessionId = (keyId: string): string => `api-key:${keyId}`;
/** How long a key's service-token revocation is kept: longer than any access token lives (≤ 15 min). */
export const SERVICE_TOKEN_REVOCATION_TTL_MS = 16 * 60_000;
