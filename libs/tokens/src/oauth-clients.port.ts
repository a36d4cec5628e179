import type { GatehouseRequest, Principal } from '@gatehouse/core';

/** The client-authentication parameters a token, revocation or introspection request may carry in its body. */
export interface ClientAuthenticationParameters {
  client_id?: string;
  client_secret?: string;
}

/**
 * Confidential OAuth clients, as the token endpoints see them: `@gatehouse/api-keys` provides one
 * (the API key is the client secret, its id the `client_id`) when `ClientCredentialsModule` is
 * imported. Implementations accept `client_secret_basic` and `client_secret_post` (RFC 6749
 * §2.3.1) and any header credential of their own.
 */
export interface OAuthClients {
  /**
   * The authenticated client, or `undefined` when the request carries no client credential at
   * all. A credential that is present but wrong throws `invalid_client` (401, with a challenge);
   * two credentials at once throw `invalid_request`.
   */
  authenticate(request: GatehouseRequest, parameters: ClientAuthenticationParameters): Promise<Principal | undefined>;
}

/** Injection token of the `OAuthClients` port. */
export const OAuthClients = Symbol('gatehouse:OAuthClients');
