/**
 * True when the JSON object text `json` names one member twice at its top level. `JSON.parse`
 * silently keeps the last one, so `{"alg":"none","alg":"EdDSA"}` or `{"sub":"a","sub":"admin"}`
 * would mean different things to different parsers (RFC 7515 §4, RFC 7519 §4: reject).
 *
 * `parsed` is what `JSON.parse(json)` returned (parsed here when not given). Since the parser
 * keeps one property per distinct name (escapes decoded, so `"a"` and `"\u0061"` are one name),
 * the text has a duplicate exactly when it spells more top-level names than the object has own
 * properties: one scan that counts, with no key built or remembered.
 */
export function hasDuplicateTopLevelMembers(json: string, parsed: object = JSON.parse(json) as object): boolean {
  return topLevelMemberCount(json) !== Object.keys(parsed).length;
}

/** The member names at the top level of a JSON object text that parses. */
function topLevelMemberCount(json: string): number {
  let count = 0;
  let depth = 0;
  let expectName = false;
  for (let index = 0; index < json.length; index++) {
    const char = json.charCodeAt(index);
    if (char === 0x22 /* " */) {
      // Skip the string, escapes included: only its position matters.
      for (index++; index < json.length; index++) {
        const inner = json.charCodeAt(index);
        if (inner === 0x5c /* \ */) index++;
        else if (inner === 0x22) break;
      }
      if (expectName && depth === 1) {
        count++;
        expectName = false;
      }
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      if (depth === 1 && char === 0x7b) expectName = true;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    } else if (char === 0x2c /* , */ && depth === 1) {
      expectName = true;
    }
  }
  return count;
}
