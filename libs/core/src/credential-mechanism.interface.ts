import type { GatehouseErrorSpec } from './gatehouse-error-codes.js';
import type { GatehouseError } from './gatehouse.error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';

/**
 * A credential mechanism the guard calls directly: the built-in `jwt`, `session` and `api-key`,
 * and the ones an app declares in `GatehouseModule.forRoot({ mechanisms: [...] })` (extend
 * `GatehouseMechanism`). A mechanism is read only on the routes that accept it.
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
  /**
   * Verifies the credential. An invalid one is refused with a 401 `GatehouseError`, thrown or
   * returned: returning it costs no exception, which matters on a refusal path garbage takes.
   */
  authenticate(credential: string, request: GatehouseRequest): Principal | Promise<Principal> | GatehouseError;
  /** The `WWW-Authenticate` challenge to send with a 401 from this mechanism, if it has one. */
  challenge?(error?: GatehouseError): string | undefined;
  /** How OpenAPI describes this credential (`applyGatehouseSecurity`): a scheme name and its Security Scheme Object. */
  openApi?(): OpenApiSecurityScheme | undefined;
  /** Error codes this mechanism raises beyond the built-in ones, registered when the guard learns of it. */
  readonly errors?: Readonly<Record<string, GatehouseErrorSpec>>;
}

/** A named OpenAPI 3 Security Scheme Object, e.g. `{ name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }`. */
export interface OpenApiSecurityScheme {
  name: string;
  scheme: Readonly<Record<string, unknown>> & { type: string };
}
