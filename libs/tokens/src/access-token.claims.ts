import { errors } from 'jose';

/**
 * What an access token's claims are checked against: the options the verifier also gives jose in
 * remote mode. Built once and never changed: the presence order is derived once per object.
 */
export interface AccessTokenClaimRules {
  issuer: string;
  audiences: readonly string[];
  /** Expected `typ` header, compared as jose does (case-insensitive, `application/` optional). */
  typ: string;
  requiredClaims: readonly string[];
  toleranceSeconds: number;
  maxTokenAgeSeconds: number;
}

const normalizeTyp = (value: string): string => {
  const lower = value.toLowerCase();
  return value.includes('/') ? lower : `application/${lower}`;
};

const invalid = (message: string, claims: Record<string, unknown>, claim: string, reason = 'check_failed') =>
  new errors.JWTClaimValidationFailed(message, claims, claim, reason);

function numericDate(claims: Record<string, unknown>, claim: string, required: boolean): number | undefined {
  const value = claims[claim];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number') throw invalid(`"${claim}" claim must be a number`, claims, claim, 'invalid');
  return value;
}

/** Each rule set's claims in the order jose checks their presence, worked out once per rule set. */
const presenceOrders = new WeakMap<AccessTokenClaimRules, readonly string[]>();

/** jose checks presence in the reverse order of `[...requiredClaims, 'iat', 'aud', 'iss']`, each claim once. */
function presenceOrder(rules: AccessTokenClaimRules): readonly string[] {
  let order = presenceOrders.get(rules);
  if (order === undefined) {
    order = Object.freeze([...new Set([...rules.requiredClaims, 'iat', 'aud', 'iss'].reverse())]);
    presenceOrders.set(rules, order);
  }
  return order;
}

/**
 * The claim checks of jose's `jwtVerify` for the verifier's options (jose 6 `validateClaimsSet`),
 * in jose's order and with its error classes, run synchronously on a payload whose signature has
 * been verified: `typ` header, presence of the required claims (plus `iat`, `aud`, `iss`), exact
 * `iss`, `aud` (string or array), then `iat`/`nbf`/`exp` against `nowMs` with the tolerance, and
 * `maxTokenAge`. Throws `errors.JWTExpired` or `errors.JWTClaimValidationFailed` as jose would,
 * so the verifier refuses every token with the same code in local and remote mode.
 */
export function checkAccessTokenClaims(header: Record<string, unknown>, claims: Record<string, unknown>, rules: AccessTokenClaimRules, nowMs: number): void {
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(rules.typ)) {
    throw invalid('unexpected "typ" JWT header value', claims, 'typ');
  }
  for (const claim of presenceOrder(rules)) {
    if (!Object.hasOwn(claims, claim)) throw invalid(`missing required "${claim}" claim`, claims, claim, 'missing');
  }
  if (claims.iss !== rules.issuer) throw invalid('unexpected "iss" claim value', claims, 'iss');
  const aud = claims.aud;
  const audienceMatches = typeof aud === 'string' ? rules.audiences.includes(aud) : Array.isArray(aud) && rules.audiences.some((accepted) => aud.includes(accepted));
  if (!audienceMatches) throw invalid('unexpected "aud" claim value', claims, 'aud');

  const tolerance = rules.toleranceSeconds;
  const now = Math.floor(nowMs / 1000);
  const iat = numericDate(claims, 'iat', true) as number;
  const nbf = numericDate(claims, 'nbf', false);
  if (nbf !== undefined && nbf > now + tolerance) throw invalid('"nbf" claim timestamp check failed', claims, 'nbf');
  const exp = numericDate(claims, 'exp', false);
  if (exp !== undefined && exp <= now - tolerance) throw new errors.JWTExpired('"exp" claim timestamp check failed', claims, 'exp', 'check_failed');
  const age = now - iat;
  if (age - tolerance > rules.maxTokenAgeSeconds) {
    throw new errors.JWTExpired('"iat" claim timestamp check failed (too far in the past)', claims, 'iat', 'check_failed');
  }
  if (age < -tolerance) throw invalid('"iat" claim timestamp check failed (it should be in the past)', claims, 'iat');
}
