/** Who a principal is: a signed-in person, a service holding a service token, or an API key. */
export type PrincipalKind = 'user' | 'service' | 'api-key';

/**
 * Which mechanism authenticated the request, and the non-secret id of the credential it used.
 *
 * @example { mechanism: 'jwt', id: '<jti>', sessionId: '<sid>' }
 */
export interface PrincipalCredential {
  /** The mechanism (strategy) name: `jwt`, `session`, `api-key` or a custom strategy's name. */
  mechanism: string;
  /** The credential's non-secret id: the token's `jti`, the session's id or the API key's id. */
  id: string;
  /** The refresh family or session the credential belongs to (the JWT `sid` claim), if any. */
  sessionId?: string;
  /** When the subject last proved who they are (epoch milliseconds), if known. */
  authTime?: number;
  /** When the credential expires (epoch milliseconds), if it does. */
  expiresAt?: number;
}

/**
 * The one shape every credential becomes once the guard has checked it.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@CurrentPrincipal() principal: Principal) { return principal; }
 * ```
 */
export interface Principal {
  readonly kind: PrincipalKind;
  /** The subject the credential speaks for (a user id, a service id or an API key's owner). */
  readonly subject: string;
  /** The scopes granted to this credential. */
  readonly scopes: readonly string[];
  readonly credential: PrincipalCredential;
  /** The verified claims of a token credential (the JWT payload), read-only; absent for sessions and API keys. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Roles, when a mechanism or the app's `PrincipalEnricher` supplies them. */
  readonly roles?: readonly string[];
}
