import { GATEHOUSE_ERRORS, type GatehouseErrorCode, type GatehouseErrorSpec } from './gatehouse-error-codes.js';

/**
 * A code an application or its credential mechanism adds to the built-in table, e.g.
 * `signature_expired`. Lower-case snake case, like the built-in codes.
 */
export type CustomErrorCode = string & { readonly customErrorCode?: never };

/** Any code a `GatehouseError` may carry: a built-in one or one registered with `registerErrorCodes`. */
export type AnyErrorCode = GatehouseErrorCode | CustomErrorCode;

const CODE_GRAMMAR = /^[a-z][a-z0-9_]{1,63}$/;
const custom = new Map<string, GatehouseErrorSpec>();

/**
 * Adds codes to the one table errors are mapped to HTTP from. A credential mechanism's `errors`
 * are registered when the guard learns of it; call this yourself for codes raised elsewhere.
 * Registering a built-in code, or a code again with another status or message, is a TypeError.
 *
 * @example registerErrorCodes({ signature_expired: { status: 401, message: 'The signature has expired.' } })
 */
export function registerErrorCodes(codes: Readonly<Record<string, GatehouseErrorSpec>>): void {
  for (const [code, spec] of Object.entries(codes)) {
    if (!CODE_GRAMMAR.test(code)) throw new TypeError(`Error code "${code}" must be lower-case snake case`);
    if (code in GATEHOUSE_ERRORS) throw new TypeError(`Error code "${code}" is built in and cannot be redefined`);
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new TypeError(`Error code "${code}" needs a 4xx or 5xx status`);
    }
    const known = custom.get(code);
    if (known && (known.status !== spec.status || known.message !== spec.message || known.oauthError !== spec.oauthError)) {
      throw new TypeError(`Error code "${code}" is already registered with another status or message`);
    }
    custom.set(code, Object.freeze({ ...spec }));
  }
}

/** The status and fixed message of a built-in or registered code; undefined for an unknown one. */
export function errorSpec(code: string): GatehouseErrorSpec | undefined {
  return Object.prototype.hasOwnProperty.call(GATEHOUSE_ERRORS, code) ? GATEHOUSE_ERRORS[code as GatehouseErrorCode] : custom.get(code);
}

/** Every code registered beside the built-in ones, for documentation and checks. */
export function registeredErrorCodes(): Readonly<Record<string, GatehouseErrorSpec>> {
  return Object.fromEntries(custom);
}
