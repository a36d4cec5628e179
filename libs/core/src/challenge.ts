/**
 * Quotes a `WWW-Authenticate` parameter value as an RFC 9110 §5.6.4 quoted-string: backslash and
 * double quote are escaped, control characters (CR, LF, …) are dropped so a value can never end
 * the header or start another one. The one escaping rule every challenge in gatehouse uses.
 */
export function quoteParameter(value: string): string {
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Builds one challenge: `<scheme> name="value", …` (RFC 9110 §11.6.1), skipping undefined values.
 *
 * @example buildChallenge('Bearer', { realm: 'api', error: 'invalid_token' }) // Bearer realm="api", error="invalid_token"
 */
export function buildChallenge(scheme: string, parameters: Readonly<Record<string, string | undefined>> = {}): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(scheme)) throw new TypeError(`"${scheme}" is not an authentication scheme token`);
  const rendered = Object.entries(parameters)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${quoteParameter(value)}`);
  return rendered.length > 0 ? `${scheme} ${rendered.join(', ')}` : scheme;
}
