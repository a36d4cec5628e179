import { isUtf8 } from 'node:buffer';
import { hasDuplicateTopLevelMembers } from './json-members.js';

/** Why a token was refused before (or instead of) its signature check; logged, never sent. */
export type TokenRejectionReason =
  | 'too_long'
  | 'malformed'
  | 'duplicate_member'
  | 'embedded_key'
  | 'crit'
  | 'missing_kid'
  | 'unknown_kid'
  | 'algorithm_not_allowed'
  | 'wrong_type'
  | 'verification_failed'
  | 'invalid_claims';

/** An internal refusal with its reason; the verifier turns it into a 401 `invalid_token`. */
export class TokenRejection extends Error {
  override readonly name = 'TokenRejection';

  constructor(
    readonly reason: TokenRejectionReason,
    options?: { cause?: unknown },
  ) {
    // Only ever a `cause` of a 401 (logged by reason, never by stack): capturing a stack would cost more than the check.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`Token rejected: ${reason}`, options);
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** The reasons `checkJwsStructure` gives: a token refused for any of them cannot be a valid one, whatever its signature. */
export type StructuralRejectionReason = 'too_long' | 'malformed' | 'duplicate_member' | 'embedded_key' | 'crit' | 'missing_kid';

const structuralRejections = new Map<TokenRejectionReason, TokenRejection>();

/**
 * The `TokenRejection` of a structural reason, made once and frozen: garbage is the common
 * refusal, and the rejection is only ever the logged `cause` of a 401, so it need not be new.
 */
export function structuralRejection(reason: StructuralRejectionReason): TokenRejection {
  let rejection = structuralRejections.get(reason);
  if (rejection === undefined) {
    rejection = Object.freeze(new TokenRejection(reason));
    structuralRejections.set(reason, rejection);
  }
  return rejection;
}

/** Whether a refusal's reason is structural (see `StructuralRejectionReason`). */
export function isStructuralReason(reason: TokenRejectionReason): reason is StructuralRejectionReason {
  return STRUCTURAL_REASONS.has(reason);
}

const STRUCTURAL_REASONS: ReadonlySet<TokenRejectionReason> = new Set<StructuralRejectionReason>(['too_long', 'malformed', 'duplicate_member', 'embedded_key', 'crit', 'missing_kid']);

/** The parts of a compact JWS the verifier decides on before (and after) the signature check. */
export interface PrecheckedHeader {
  alg: string;
  kid: string;
  /** The protected header, parsed (no duplicate members). */
  header: Record<string, unknown>;
  /** The payload, parsed as a JSON object (no duplicate top-level members); trusted only once the signature verifies. */
  claims: Record<string, unknown>;
  /** Index of the second dot: the signing input is `token.slice(0, signingInputEnd)`, the signature follows it. */
  signingInputEnd: number;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Header members that carry or point to a key: a token never chooses its own key (RFC 8725 §3.10). */
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'];
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** base64url's first character of a segment whose first byte is `{` (e), space (I), tab or LF (C), CR (D) or a BOM's 0xEF (7). */
const OBJECT_START: ReadonlySet<number> = new Set([...'eICD7'].map((char) => char.charCodeAt(0)));

/** A JSON object from a base64url segment, or why not; throws nothing (a refusal is the common case for garbage). */
function decodeObject(segment: string): Record<string, unknown> | StructuralRejectionReason {
  // base64url without padding never leaves one character over (jose's decoder refuses it too).
  if (segment.length % 4 === 1) return 'malformed';
  // The first character holds the top six bits of the first byte, which in a JSON object's UTF-8
  // is `{`, JSON whitespace or a byte-order mark (which the decoder drops): anything else is refused
  // before allocating (random text almost always is).
  if (!OBJECT_START.has(segment.charCodeAt(0))) return 'malformed';
  const bytes = Buffer.from(segment, 'base64url');
  // Random bytes are almost never UTF-8: refused here, before any decoding.
  if (!isUtf8(bytes)) return 'malformed';
  const text = utf8.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'malformed';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'malformed';
  if (hasDuplicateTopLevelMembers(text, value)) return 'duplicate_member';
  return value as Record<string, unknown>;
}

/** Protected headers already parsed, by their segment: a key ring's tokens share a handful. */
const parsedHeaders = new Map<string, Record<string, unknown>>();
/** Enough for every key and `typ` of a ring; past it the map starts over (headers a client crafts cannot grow it). */
const MAX_PARSED_HEADERS = 64;

/** `decodeObject` for the header, once per distinct segment; the object is frozen because it is shared. */
function decodeHeader(segment: string): Record<string, unknown> | StructuralRejectionReason {
  let header = parsedHeaders.get(segment);
  if (header === undefined) {
    const decoded = decodeObject(segment);
    if (typeof decoded === 'string') return decoded;
    header = Object.freeze(decoded);
    if (parsedHeaders.size >= MAX_PARSED_HEADERS) parsedHeaders.clear();
    parsedHeaders.set(segment, header);
  }
  return header;
}

/**
 * Structural checks done before any cryptography, cheapest first: length (before parsing
 * anything), a first character that can begin a JSON object's base64url, three non-empty
 * base64url segments (none of a length base64url cannot have), UTF-8
 * JSON objects without duplicate members, no key-carrying or `crit` header, and a string `kid`.
 * Returns what it parsed, so nothing is decoded twice, or the reason for refusing the token:
 * nothing is thrown, since a throw this deep in a request's call stack costs more than the checks.
 */
export function checkJwsStructure(token: string, maxLength: number): PrecheckedHeader | StructuralRejectionReason {
  if (token.length > maxLength) return 'too_long';
  // The header's first character first (see `decodeObject`): random text is refused here, before
  // the pattern scans the whole token and before the parsed headers are looked up.
  if (!OBJECT_START.has(token.charCodeAt(0))) return 'malformed';
  if (!COMPACT_JWS.test(token)) return 'malformed';
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const header = decodeHeader(token.slice(0, firstDot));
  if (typeof header === 'string') return header;
  const claims = decodeObject(token.slice(firstDot + 1, secondDot));
  if (typeof claims === 'string') return claims;
  if ((token.length - secondDot - 1) % 4 === 1) return 'malformed';
  for (const name of KEY_HEADERS) if (name in header) return 'embedded_key';
  // We never issue critical extensions, so any `crit` (even an empty one) is refused.
  if ('crit' in header) return 'crit';
  if (typeof header.alg !== 'string') return 'malformed';
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 128) return 'missing_kid';
  return { alg: header.alg, kid: header.kid, header, claims, signingInputEnd: secondDot };
}

/** `checkJwsStructure`, throwing `TokenRejection` with the reason. */
export function precheckJws(token: string, maxLength: number): PrecheckedHeader {
  const checked = checkJwsStructure(token, maxLength);
  if (typeof checked === 'string') throw new TokenRejection(checked);
  return checked;
}
