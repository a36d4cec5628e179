/** Header names whose values are credentials and must never be logged. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization', 'x-csrf-token'];

/** Body and query field names whose values are secrets. */
export const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'api_key',
  'apiKey',
  'key',
  'csrfToken',
  'session',
  'sid',
];

const SECRET_FIELD_SET = new Set(SECRET_FIELDS.map((name) => name.toLowerCase()));
const patterns: RegExp[] = [];

/** Registers a pattern of secret values (e.g. the API-key format) to mask wherever it appears in a URL. */
export function registerSecretPattern(pattern: RegExp): void {
  if (!patterns.some((known) => known.source === pattern.source)) patterns.push(new RegExp(pattern.source, 'g'));
}

/**
 * A URL safe to log: values of secret-named query parameters and anything matching a registered
 * secret pattern are replaced by `[REDACTED]`.
 *
 * @example redactUrl('/orders?api_key=gh_live_abc') // '/orders?api_key=[REDACTED]'
 */
export function redactUrl(url: string): string {
  let result = url;
  const query = result.indexOf('?');
  if (query >= 0) {
    const path = result.slice(0, query);
    const params = result
      .slice(query + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq < 0 ? pair : pair.slice(0, eq);
        let decoded = name;
        try {
          decoded = decodeURIComponent(name);
        } catch {
          // keep the raw name
        }
        return eq >= 0 && SECRET_FIELD_SET.has(decoded.toLowerCase()) ? `${name}=[REDACTED]` : pair;
      });
    result = `${path}?${params.join('&')}`;
  }
  for (const pattern of patterns) result = result.replace(pattern, '[REDACTED]');
  return result;
}
