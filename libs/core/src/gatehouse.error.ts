import { errorSpec, type AnyErrorCode } from './error-catalog.js';

/** Details an error may carry to the HTTP edge; none of them is ever a secret. */
export interface GatehouseErrorDetails {
  /** The scope(s) that were required, for `insufficient_scope`. */
  scope?: string;
  /** Seconds until the client may retry, for `rate_limited`. */
  retryAfter?: number;
  /** The mechanism that refused the credential (`jwt`, `session`, `api-key`, …): picks the challenge. */
  mechanism?: string;
  /** A fixed, non-secret explanation that replaces the default message. */
  message?: string;
  /** Extra response headers (e.g. RateLimit headers). */
  headers?: Record<string, string>;
}

/**
 * The one error class the libraries throw. Its `code` is stable; HTTP status and body are derived
 * from it in one place (`GatehouseExceptionFilter`).
 *
 * Custom codes must be registered first (`registerErrorCodes`, or a mechanism's `errors`).
 *
 * @example throw new GatehouseError('token_expired', { mechanism: 'jwt' });
 */
export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  readonly status: number;
  /**
   * The credential was refused by its shape alone (not a JWS, a key failing its checksum, a
   * session id of the wrong length): it cannot have been a guess at a valid one. Such refusals
   * are counted in the failure budget on this instance only, with no I/O. Never sent to clients.
   */
  readonly malformed: boolean;

  constructor(
    readonly code: AnyErrorCode,
    readonly details: GatehouseErrorDetails = {},
    options?: GatehouseErrorOptions,
  ) {
    const spec = errorSpec(code);
    // An unregistered code is a programming error, as in jose: fail where it is raised, not at the edge.
    if (!spec) throw new TypeError(`Unknown gatehouse error code "${code}": register it with registerErrorCodes()`);
    // A 4xx is an answer, not a fault: its stack names only the guard, and capturing one through
    // Nest's call chain is most of what a refused credential costs. 5xx errors keep theirs.
    const stackTraceLimit = Error.stackTraceLimit;
    if (spec.status < 500) Error.stackTraceLimit = 0;
    super(details.message ?? spec.message, options);
    Error.stackTraceLimit = stackTraceLimit;
    this.status = spec.status;
    this.malformed = options?.malformed === true;
  }
}

/** Options of a `GatehouseError`. */
export interface GatehouseErrorOptions {
  cause?: unknown;
  /** A credential refused by its shape alone, before any lookup (see `GatehouseError.malformed`). */
  malformed?: boolean;
}

export function isGatehouseError(value: unknown): value is GatehouseError {
  return value instanceof GatehouseError;
}
