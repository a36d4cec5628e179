import { randomBytes } from 'node:crypto';
import { crc32Ascii } from './crc32.js';

/** The 62 characters a key's body is written in, in value order. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHABET_VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index++) values[ALPHABET.charCodeAt(index)] = index;
  return values;
})();

/** Base62 characters carrying the 256 random bits (62^43 > 2^256). */
export const API_KEY_SECRET_LENGTH = 43;
/** Base62 characters carrying the CRC32 checksum (62^6 > 2^32). */
export const API_KEY_CHECKSUM_LENGTH = 6;
/** Random bytes behind every key. */
export const API_KEY_RANDOM_BYTES = 32;

/** A prefix names the issuer and environment (`gh_live`, `gh_test`): lower-case words joined by `_`. */
const PREFIX = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Throws TypeError unless `prefix` is usable in a key (misuse, not bad input). */
export function assertApiKeyPrefix(prefix: string): void {
  if (!PREFIX.test(prefix) || prefix.length > 32) {
    throw new TypeError(`Invalid API key prefix "${prefix}": use lower-case letters, digits and single underscores, e.g. gh_live`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The regular expression that matches keys with one of `prefixes` anywhere in a text: give it to
 * secret scanners and the key-in-URL check. `bounded: false` drops the word boundaries, for
 * redaction, where a key may follow an escape like `%20` and masking a little more is harmless.
 *
 * @example apiKeyPattern(['gh_live']).source // '(?<![0-9A-Za-z_])(?:gh_live)_[0-9A-Za-z]{49}(?![0-9A-Za-z])'
 */
export function apiKeyPattern(prefixes: readonly string[], { bounded = true }: { bounded?: boolean } = {}): RegExp {
  prefixes.forEach(assertApiKeyPrefix);
  const alternatives = [...prefixes].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const body = `(?:${alternatives})_[0-9A-Za-z]{${API_KEY_SECRET_LENGTH + API_KEY_CHECKSUM_LENGTH}}`;
  return new RegExp(bounded ? `(?<![0-9A-Za-z_])${body}(?![0-9A-Za-z])` : body);
}

/** Writes `value` in base62, left-padded with `0` to `width` characters. */
export function encodeBase62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  if (out.length > width) throw new RangeError(`Value does not fit in ${width} base62 characters`);
  return out.padStart(width, '0');
}

/** The checksum characters of everything before them (`<prefix>_<secret>`): CRC32, in base62. */
export function apiKeyChecksum(prefixAndSecret: string): string {
  return encodeBase62(BigInt(crc32Ascii(prefixAndSecret)), API_KEY_CHECKSUM_LENGTH);
}

/**
 * A new key: `<prefix>_<43 base62 chars of 256 CSPRNG bits><6 base62 chars of CRC32>`.
 *
 * @example generateApiKey('gh_live') // 'gh_live_1pQ…7Zk0aB3x'
 */
export function generateApiKey(prefix: string): string {
  assertApiKeyPrefix(prefix);
  const secret = encodeBase62(BigInt(`0x${randomBytes(API_KEY_RANDOM_BYTES).toString('hex')}`), API_KEY_SECRET_LENGTH);
  const head = `${prefix}_${secret}`;
  return head + apiKeyChecksum(head);
}

/**
 * True when `candidate` has the key shape for one of `prefixes` and its checksum matches: typos,
 * truncations and random strings fail here, before any cache or database is consulted.
 * Runs in time linear in the input and allocates nothing on the common path.
 */
export function hasValidApiKeyChecksum(candidate: string, prefixes: readonly string[]): boolean {
  const bodyLength = API_KEY_SECRET_LENGTH + API_KEY_CHECKSUM_LENGTH;
  const separator = candidate.length - bodyLength - 1;
  if (separator < 1 || candidate.charCodeAt(separator) !== 95 /* _ */) return false;
  if (!prefixes.some((prefix) => prefix.length === separator && candidate.startsWith(prefix))) return false;
  for (let index = separator + 1; index < candidate.length; index++) {
    const code = candidate.charCodeAt(index);
    if (code > 127 || ALPHABET_VALUES[code] < 0) return false;
  }
  const checksumStart = candidate.length - API_KEY_CHECKSUM_LENGTH;
  let expected = crc32Ascii(candidate, checksumStart);
  // Compare digit by digit from the right, without building the checksum string.
  for (let index = candidate.length - 1; index >= checksumStart; index--) {
    if (ALPHABET_VALUES[candidate.charCodeAt(index)] !== expected % 62) return false;
    expected = Math.floor(expected / 62);
  }
  return true;
}

/** A short, non-secret hint to tell keys apart in lists: the prefix and the last four characters. */
export function apiKeyHint(key: string): string {
  const separator = key.length - API_KEY_SECRET_LENGTH - API_KEY_CHECKSUM_LENGTH - 1;
  return `${key.slice(0, separator)}_…${key.slice(-4)}`;
}
