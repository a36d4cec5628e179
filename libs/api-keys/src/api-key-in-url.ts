/**
 * True when `url` carries an API key: a query parameter named like one (`api_key`, `apiKey`,
 * `key`, compared case-insensitively, whatever its value) or any text in the path or query that
 * matches the key format, raw or percent-decoded.
 *
 * @example findsApiKeyInUrl('/orders?api_key=x', pattern, new Set(['api_key'])) // true
 */
export function findsApiKeyInUrl(url: string, pattern: RegExp, parameterNames: ReadonlySet<string>): boolean {
  if (pattern.test(url)) return true;
  const decoded = url.includes('%') ? safeDecode(url) : url;
  if (decoded !== url && pattern.test(decoded)) return true;
  const query = url.indexOf('?');
  if (query < 0) return false;
  for (const pair of url.slice(query + 1).split(/[&;]/)) {
    const eq = pair.indexOf('=');
    const name = safeDecode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ')).trim().toLowerCase();
    if (parameterNames.has(name)) return true;
  }
  return false;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Malformed escapes: decode what can be decoded, piece by piece.
    return text.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
