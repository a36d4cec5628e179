/** Injection token of the resolved module options (`ResolvedApiKeysOptions`). */
export const API_KEYS_OPTIONS = Symbol('gatehouse:api-keys:options');
/** The mechanism and passport strategy name. */
export const API_KEY_MECHANISM = 'api-key';
/** Namespace of verified and refused keys in the `GatehouseCache` (`api-key:<sha256 hex>`). */
export const API_KEY_CACHE_PREFIX = 'api-key:';
/** Namespace of revoked keys in the `RevocationStore` (`api-key:<id>`). */
export const API_KEY_REVOCATION_PREFIX = 'api-key:';
