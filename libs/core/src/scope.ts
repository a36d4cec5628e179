/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`, at most 128 characters here. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/** True when `value` is one RFC 6749 scope token. */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/** The tokens of a space-separated `scope` value (empty entries dropped). */
export function parseScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

/** The space-separated `scope` value of a list of tokens. */
export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/** The scopes of `required` missing from `held`: empty when `held` covers every one (the subset check). */
export function scopesNotHeld(held: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !held.includes(scope));
}

/** True when `held` holds at least one of `anyOf` (or `anyOf` is empty). */
export function holdsAnyScope(held: readonly string[], anyOf: readonly string[]): boolean {
  return anyOf.length === 0 || anyOf.some((scope) => held.includes(scope));
}
