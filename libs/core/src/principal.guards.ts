import type { Principal } from './principal.interface.js';
import { scopesNotHeld } from './scope.js';

const KINDS = new Set(['user', 'service', 'api-key']);

/** True when `value` has the shape of a `Principal`. */
export function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Principal>;
  return (
    typeof candidate.kind === 'string' &&
    KINDS.has(candidate.kind) &&
    typeof candidate.subject === 'string' &&
    Array.isArray(candidate.scopes) &&
    typeof candidate.credential === 'object' &&
    candidate.credential !== null &&
    typeof candidate.credential.mechanism === 'string'
  );
}

/** The scopes of `required` that `principal` does not hold. */
export function missingScopes(principal: Principal, required: readonly string[]): string[] {
  return scopesNotHeld(principal.scopes, required);
}
