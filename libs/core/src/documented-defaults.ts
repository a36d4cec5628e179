// Reads the defaults an options interface documents, so each library's spec can hold its doc
// comments to its defaults object and the value stays written once.

/** Each documented field of `interfaceName` in `source` mapped to the text after its "Default". */
export function documentedDefaults(source: string, interfaceName: string): Map<string, string> {
  const start = source.indexOf(`export interface ${interfaceName} {`);
  if (start < 0) throw new Error(`no interface ${interfaceName}`);
  const body = source.slice(start, source.indexOf('\n}', start));
  const defaults = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*([^]*?)\*\/\s*(\w+)\??:/g)) {
    const comment = match[1].replace(/\s*\n\s*\*?\s*/g, ' ').trim();
    const documented = /\bDefault[ :]\s*(.*)$/.exec(comment);
    if (documented) defaults.set(match[2], documented[1].trim());
  }
  return defaults;
}

/** The documented defaults that are plain literals (numbers, quoted strings, booleans, `null`, lists of strings), parsed. */
export function documentedLiteralDefaults(source: string, interfaceName: string): Record<string, unknown> {
  const literals: Record<string, unknown> = {};
  for (const [field, text] of documentedDefaults(source, interfaceName)) {
    // A literal followed by more words ("3 days", "`true`, or …") describes its default in words.
    const match = /^(`[^`]+`|\d{1,3}(?: \d{3})+|\d+)(?:[.;:]|\s\(|$)/.exec(text);
    if (!match) continue;
    const value = literalOf(match[1].replace(/^`|`$/g, ''));
    if (value !== undefined) literals[field] = value;
  }
  return literals;
}

function literalOf(text: string): unknown {
  if (/^\d[\d ]*$/.test(text)) return Number(text.replace(/ /g, ''));
  if (text === 'true' || text === 'false' || text === 'null') return JSON.parse(text);
  if (/^'[^']*'$/.test(text)) return text.slice(1, -1);
  if (/^\[\s*('[^']*'\s*(,\s*'[^']*'\s*)*)?\]$/.test(text)) return [...text.matchAll(/'([^']*)'/g)].map((item) => item[1]);
  return undefined;
}
