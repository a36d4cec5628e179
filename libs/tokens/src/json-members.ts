/**
 * True when the JSON object text `json` names one member twice at its top level. `JSON.parse`
 * silently keeps the last one, so `{"alg":"none","alg":"EdDSA"}` or `{"sub":"a","sub":"admin"}`
 * would mean different things to different parsers (RFC 7515 §4, RFC 7519 §4: reject).
 * Assumes `json` already parsed as an object; scans it once without building anything but keys.
 */
export function hasDuplicateTopLevelMembers(json: string): boolean {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let index = 0; index < json.length; index++) {
    const char = json.charCodeAt(index);
    if (char === 0x22 /* " */) {
      const start = index;
      let escaped = false;
      for (index++; index < json.length; index++) {
        const inner = json.charCodeAt(index);
        if (inner === 0x5c /* \ */) {
          escaped = true;
          index++;
        } else if (inner === 0x22) break;
      }
      if (depth === 1 && expectKey) {
        const raw = json.slice(start, index + 1);
        // Escapes can spell one name two ways ("a" and "\u0061"): compare decoded names.
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (seen.has(key)) return true;
        seen.add(key);
        expectKey = false;
      }
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      if (depth === 1 && char === 0x7b) expectKey = true;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    } else if (char === 0x2c /* , */ && depth === 1) {
      expectKey = true;
    }
  }
  return false;
}
