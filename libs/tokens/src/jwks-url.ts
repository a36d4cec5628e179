/** Hosts where `allowInsecureLoopback` lets a JWKS be fetched over `http:` (a test's local key server). */
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A configured JWKS URL, `https:` only: keys fetched over plain HTTP could be swapped on the way.
 * `allowInsecureLoopback` admits `http:` on 127.0.0.1, ::1 and localhost, for tests.
 */
export function parseJwksUrl(value: unknown, allowInsecureLoopback: boolean, fail: (problem: string) => never): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return fail('is not a valid URL');
  }
  const insecureAllowed = allowInsecureLoopback && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !insecureAllowed) {
    fail(`must be an https: URL${url.protocol === 'http:' ? ' (http: only on loopback hosts, with allowInsecureLoopback)' : ''}`);
  }
  return url;
}
