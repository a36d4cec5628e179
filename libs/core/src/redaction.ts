/** Header names whose values are credentials and must never be logged. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization', 'x-csrf-token'];

/**
 * Body and query field names whose values are secrets. Matching ignores case, `-`, `_` and a
 * trailing `[]`, so `access_token`, `accessToken`, `Access-Token` and `access_token[]` are one name.
 */
export const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'passwd',
  'pwd',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'jwt',
  'assertion',
  'client_assertion',
  'client_secret',
  'code',
  'code_verifier',
  'device_code',
  'api_key',
  'x-api-key',
  'key',
  'auth',
  'authorization',
  'csrfToken',
  'x-csrf-token',
  'session',
  'session_id',
  'sid',
  'signature',
  'sig',
  'otp',
];

const normalizeName = (name: string): string => name.toLowerCase().replace(/\[\]$/, '').replace(/[-_]/g, '');
const secretNames = new Set(SECRET_FIELDS.map(normalizeName));
const patterns: RegExp[] = [];

/** Registers a pattern of secret values (e.g. the API-key format) to mask wherever it appears in a URL. */
export function registerSecretPattern(pattern: RegExp): void {
  if (!patterns.some((known) => known.source === pattern.source)) patterns.push(new RegExp(pattern.source, 'g'));
}

/** Registers one more secret query/body name (e.g. a configured API-key header used as a parameter). */
export function registerSecretField(name: string): void {
  secretNames.add(normalizeName(name));
}

/** `text` percent-decoded (and `+` as space) until it stops changing, so `%2541` cannot hide an `A`; bad escapes stay as they are. */
function decoded(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current.replace(/\+/g, ' '));
    } catch {
      next = current.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

function holdsSecret(text: string): boolean {
  const plain = decoded(text);
  return patterns.some((pattern) => {
    pattern.lastIndex = 0;
    return pattern.test(plain);
  });
}

/**
 * A URL safe to log: the values of secret-named query parameters, and any path segment, query
 * name or value that holds a registered secret pattern once percent-decoded, become
 * `[REDACTED]`. Decoding comes first, so `gh_live_%41…` is caught like `gh_live_A…`.
 *
 * @example redactUrl('/orders?api_key=gh_live_abc') // '/orders?api_key=[REDACTED]'
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  const path = query >= 0 ? url.slice(0, query) : url;
  const safePath = path
    .split('/')
    .map((segment) => (segment !== '' && holdsSecret(segment) ? '[REDACTED]' : segment))
    .join('/');
  if (query < 0) return safePath;
  const params = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (holdsSecret(name)) return '[REDACTED]';
      if (eq < 0) return pair;
      if (secretNames.has(normalizeName(decoded(name))) || holdsSecret(pair.slice(eq + 1))) return `${name}=[REDACTED]`;
      return pair;
    });
  return `${safePath}?${params.join('&')}`;
}
