import { GatehouseError } from '@gatehouse/core';

/** The named request parameters, each a string or absent. */
export type OAuthParameters<Name extends string> = Partial<Record<Name, string>>;

/**
 * Reads `names` from a parsed form or JSON body (RFC 6749 §3.2): parameters sent without a value
 * are treated as omitted, unknown parameters are ignored, and a known one that is repeated or not
 * a string is `invalid_request`. Values are never echoed in the error.
 *
 * @example const { token, token_type_hint } = readOAuthParameters(request.body, ['token', 'token_type_hint']);
 */
export function readOAuthParameters<Name extends string>(body: unknown, names: readonly Name[]): OAuthParameters<Name> {
  const parameters: OAuthParameters<Name> = {};
  if (body === undefined || body === null || body === '') return parameters;
  if (typeof body !== 'object' || Array.isArray(body)) throw new GatehouseError('invalid_request', { message: 'The request body must be a form or a JSON object.' });
  for (const name of names) {
    if (!Object.hasOwn(body, name)) continue;
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new GatehouseError('invalid_request', { message: `Parameter ${name} must be sent once, as a string.` });
    parameters[name] = value;
  }
  return parameters;
}
