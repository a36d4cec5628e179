import { GatehouseError, isScopeToken } from '@gatehouse/core';

/** Names are for people: printable, no control characters. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A key name, trimmed; throws 400 `validation_failed` when empty, too long or not text. */
export function checkKeyName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 100 || CONTROL.test(trimmed)) {
    throw new GatehouseError('validation_failed', { message: 'name must be 1 to 100 printable characters.' });
  }
  return trimmed;
}

/** Distinct, well-formed scopes in their given order; throws 400 `validation_failed` otherwise. */
export function checkScopes(scopes: unknown, max: number): string[] {
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string' || !isScopeToken(scope))) {
    throw new GatehouseError('validation_failed', { message: 'scopes must be a list of scope tokens.' });
  }
  const distinct = [...new Set(scopes as string[])];
  if (distinct.length > max) throw new GatehouseError('validation_failed', { message: `A key may carry at most ${max} scopes.` });
  return distinct;
}

/** Throws 403 `insufficient_scope` naming what `held` lacks, unless `requested` ⊆ `held`. */
export function assertScopeSubset(requested: readonly string[], held: readonly string[]): void {
  const missing = requested.filter((scope) => !held.includes(scope));
  if (missing.length > 0) {
    throw new GatehouseError('insufficient_scope', { scope: missing.join(' '), message: 'A key cannot carry scopes its creator does not hold.' });
  }
}

/** A lifetime in whole days within `[1, max]`; throws 400 `validation_failed` otherwise. */
export function checkExpiresInDays(days: unknown, max: number | null): number {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || (max !== null && days > max)) {
    throw new GatehouseError('validation_failed', { message: `expiresInDays must be a whole number from 1${max === null ? '' : ` to ${max}`}.` });
  }
  return days;
}
