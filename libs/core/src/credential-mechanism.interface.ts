import type { GatehouseError } from './gatehouse.error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';

/**
 * A built-in credential mechanism the guard calls directly on its hot path. Each one is also
 * registered as a passport strategy of the same name, usable with `AuthGuard(name)`.
 */
export interface CredentialMechanism {
  /** The mechanism and passport strategy name (`jwt`, `session`, `api-key`). */
  readonly name: string;
  /**
   * True for credentials the browser attaches by itself (cookies). A header credential sent with
   * an ambient one wins; ambient credentials need CSRF protection on unsafe methods.
   */
  readonly ambient: boolean;
  /** The raw credential when this mechanism's credential is present on the request, else undefined. */
  extract(request: GatehouseRequest): string | undefined;
  /** Verifies the credential; throws a 401 `GatehouseError` when it is invalid. */
  authenticate(credential: string, request: GatehouseRequest): Principal | Promise<Principal>;
  /** The `WWW-Authenticate` challenge to send with a 401 from this mechanism, if it has one. */
  challenge?(error?: GatehouseError): string | undefined;
}
