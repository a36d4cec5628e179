import type { CredentialMechanism, OpenApiSecurityScheme } from './credential-mechanism.interface.js';
import { buildChallenge } from './challenge.js';
import type { AnyErrorCode } from './error-catalog.js';
import type { GatehouseErrorSpec } from './gatehouse-error-codes.js';
import { GatehouseError, type GatehouseErrorDetails, type GatehouseErrorOptions } from './gatehouse.error.js';
import { GATEHOUSE_DEFAULTS } from './gatehouse-options.interface.js';
import { readHeader, type GatehouseRequest } from './gatehouse-request.interface.js';
import type { Principal } from './principal.interface.js';

/**
 * The base of an app's own credential mechanism. Declare the subclass in
 * `GatehouseModule.forRoot({ mechanisms: [MyMechanism] })`: it is built through DI, read only on
 * routes that name it (`@AuthStrategies('my-name')` or `defaultMechanisms`), and follows the
 * built-ins' precedence (a header credential wins over an ambient cookie; two header credentials
 * conflict). Refuse with `this.refuse(code)`: a built-in code or one listed in `errors`, which
 * come with this mechanism's challenge.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class PartnerTokenMechanism extends GatehouseMechanism {
 *   readonly name = 'partner';
 *   protected readonly scheme = 'Partner';
 *   extract(request: GatehouseRequest) { return this.header(request, 'x-partner-token'); }
 *   authenticate(token: string): Principal { … }
 * }
 * ```
 */
export abstract class GatehouseMechanism implements CredentialMechanism {
  /** The name routes use in `@AuthStrategies(...)`; never `jwt`, `session` or `api-key`. */
  abstract readonly name: string;
  /** A header credential is explicit (the default); set true only for cookies the browser sends by itself. */
  readonly ambient: boolean = false;
  /** Codes this mechanism raises beyond the built-in ones, with status and fixed message. */
  readonly errors?: Readonly<Record<string, GatehouseErrorSpec>>;
  /** The `WWW-Authenticate` scheme of this mechanism's 401s (e.g. `Signature`); none by default. */
  protected readonly scheme?: string;
  /** The realm named in challenges; set from the module's `realm` when the mechanism is registered. */
  realm = GATEHOUSE_DEFAULTS.realm;

  /** The raw credential when it is present on the request, else undefined (another mechanism's turn). */
  abstract extract(request: GatehouseRequest): string | undefined;

  /** Verifies the credential and returns its principal; refuses with `this.refuse(code)`. */
  abstract authenticate(credential: string, request: GatehouseRequest): Principal | Promise<Principal> | GatehouseError;

  /** `<scheme> realm="…"`, with `error="<code>"` when a credential was refused; undefined without a scheme. */
  challenge(error?: GatehouseError): string | undefined {
    if (!this.scheme) return undefined;
    return buildChallenge(this.scheme, { realm: this.realm, error: error?.code });
  }

  /** OpenAPI: an HTTP scheme named after `scheme`, when there is one; override for anything else (e.g. `mutualTLS`). */
  openApi(): OpenApiSecurityScheme | undefined {
    return this.scheme ? { name: this.name, scheme: { type: 'http', scheme: this.scheme } } : undefined;
  }

  /**
   * Throws the coded refusal, attributed to this mechanism (which picks the challenge). Pass
   * `{ malformed: true }` when the credential is refused by its shape alone, before any lookup:
   * the failure budget then counts it in memory, never in Redis.
   */
  protected refuse(code: AnyErrorCode, details: Omit<GatehouseErrorDetails, 'mechanism'> = {}, options: Pick<GatehouseErrorOptions, 'malformed'> = {}): never {
    throw new GatehouseError(code, { ...details, mechanism: this.name }, options);
  }

  /**
   * One header as a single string. A repeated header reads as `''` (present but ambiguous), so it
   * is refused rather than skipped.
   */
  protected header(request: GatehouseRequest, name: string): string | undefined {
    const lower = name.toLowerCase();
    if (request.headers[lower] === undefined) return undefined;
    return readHeader(request, lower) ?? '';
  }
}
