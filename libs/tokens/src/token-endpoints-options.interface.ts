import { GatehouseConfigurationError, withDefaults } from '@gatehouse/core';

/**
 * Options of `TokenEndpointsModule.forRoot`: where each endpoint is mounted, or `false` to leave
 * it out. Paths are absolute (a `RouterModule` prefix applies on top).
 */
export interface TokenEndpointsOptions {
  /** Password sign-in `{email, password, delivery?}` → a token pair. Default `'/auth/token'`. */
  signIn?: string | false;
  /** Refresh (RFC 6749 §6), token in the body or the refresh cookie. Default `'/auth/refresh'`. */
  refresh?: string | false;
  /** Web sign-out with the refresh cookie. Default `'/auth/refresh/revoke'` (inside the cookie's path). */
  signOut?: string | false;
  /** Token revocation (RFC 7009). Default `'/auth/revoke'`. */
  revocation?: string | false;
  /** Token introspection (RFC 7662) for resource servers. Default `'/oauth/introspect'`. */
  introspection?: string | false;
  /** The public signing keys. Default `'/.well-known/jwks.json'`. */
  jwks?: string | false;
  /** Authorization server metadata (RFC 8414). Default `'/.well-known/oauth-authorization-server'`. */
  metadata?: string | false;
  /** The `token_endpoint` the metadata names (e.g. `/oauth/token` when `ClientCredentialsModule` serves the refresh grant too). Default: the refresh path. */
  tokenEndpoint?: string;
  /** Scope an API key or service token needs to call introspection. Default `'tokens:introspect'`. */
  introspectionScope?: string;
  /** Origin the metadata's endpoint URLs start with. Default: the issuer when it is an http(s) URL, else the request's own origin. */
  baseUrl?: string;
}

/** Every default of `TokenEndpointsOptions` that is a value, each written here only (the rest follow other options). */
export const TOKEN_ENDPOINTS_DEFAULTS = {
  signIn: '/auth/token',
  refresh: '/auth/refresh',
  signOut: '/auth/refresh/revoke',
  revocation: '/auth/revoke',
  introspection: '/oauth/introspect',
  jwks: '/.well-known/jwks.json',
  metadata: '/.well-known/oauth-authorization-server',
  introspectionScope: 'tokens:introspect',
} satisfies Required<Omit<TokenEndpointsOptions, 'tokenEndpoint' | 'baseUrl'>>;

/** Options with every default applied. */
export type ResolvedTokenEndpointsOptions = Required<Omit<TokenEndpointsOptions, 'tokenEndpoint' | 'baseUrl'>> & {
  [K in 'tokenEndpoint' | 'baseUrl']: TokenEndpointsOptions[K];
};

function path(name: string, value: string | false): string | false {
  if (value !== false && (typeof value !== 'string' || !/^\/[\w\-./]*$/.test(value))) {
    throw new GatehouseConfigurationError('TokenEndpointsModule', name, "must be an absolute path like '/auth/token', or false");
  }
  return value;
}

/** Applies the defaults; a malformed path or scope is a `GatehouseConfigurationError` at start-up. */
export function resolveTokenEndpointsOptions(options: TokenEndpointsOptions = {}): ResolvedTokenEndpointsOptions {
  const given = withDefaults(TOKEN_ENDPOINTS_DEFAULTS, options);
  const scope = given.introspectionScope;
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) throw new GatehouseConfigurationError('TokenEndpointsModule', 'introspectionScope', 'must be one scope token');
  if (options.baseUrl !== undefined && !/^https?:\/\/[^/]+$/.test(options.baseUrl)) throw new GatehouseConfigurationError('TokenEndpointsModule', 'baseUrl', 'must be an origin like https://auth.example.com');
  const refresh = path('refresh', given.refresh);
  return {
    signIn: path('signIn', given.signIn),
    refresh,
    signOut: path('signOut', given.signOut),
    revocation: path('revocation', given.revocation),
    introspection: path('introspection', given.introspection),
    jwks: path('jwks', given.jwks),
    metadata: path('metadata', given.metadata),
    // Unless set, the metadata names the refresh path as the token endpoint.
    tokenEndpoint: (options.tokenEndpoint === undefined ? undefined : path('tokenEndpoint', options.tokenEndpoint)) || (refresh === false ? undefined : refresh),
    introspectionScope: scope,
    baseUrl: options.baseUrl,
  };
}
