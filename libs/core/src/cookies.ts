import type { GatehouseRequest } from './gatehouse-request.interface.js';

/** Attributes of a cookie the libraries set. */
export interface CookieAttributes {
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  path?: string;
  /** Lifetime in seconds; omitted means a browser-session cookie, 0 deletes it. */
  maxAge?: number;
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[!#$%&'()*+\-./0-9:<=>?@A-Z[\]^_`a-z{|}~]*$/;

/**
 * Every value sent for cookie `name` in the request's `Cookie` header. More than one value means
 * a planted or shadowing cookie (cookie tossing): callers must treat that as invalid.
 */
export function readCookies(request: GatehouseRequest, name: string): string[] {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return [];
  const values: string[] = [];
  // Only where the name occurs (the guard reads the session cookie on every request): a pair
  // `<whitespace>name<whitespace>=value` whose name, trimmed as `String#trim` does, is `name`.
  for (let at = header.indexOf(name); at >= 0; at = header.indexOf(name, at + 1)) {
    let start = at;
    while (start > 0 && isTrimmed(header.charCodeAt(start - 1))) start -= 1;
    if (start > 0 && header.charCodeAt(start - 1) !== SEMICOLON) continue;
    let eq = at + name.length;
    while (eq < header.length && isTrimmed(header.charCodeAt(eq))) eq += 1;
    if (header.charCodeAt(eq) !== EQUALS) continue;
    const end = header.indexOf(';', eq);
    values.push(header.slice(eq + 1, end < 0 ? header.length : end).trim());
  }
  return values;
}

const SEMICOLON = 0x3b;
const EQUALS = 0x3d;

/** What `String#trim` removes: ECMAScript WhiteSpace and LineTerminator code units. */
function isTrimmed(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** Serialises a `Set-Cookie` value; throws TypeError on a name or value that would need escaping. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes = {}): string {
  if (!COOKIE_NAME.test(name)) throw new TypeError(`Invalid cookie name: ${name}`);
  if (!COOKIE_VALUE.test(value)) throw new TypeError('Invalid cookie value');
  if (name.startsWith('__Host-') && (!attributes.secure || attributes.path !== '/')) {
    throw new TypeError('A __Host- cookie must be Secure with Path=/');
  }
  if (name.startsWith('__Secure-') && !attributes.secure) throw new TypeError('A __Secure- cookie must be Secure');
  const parts = [`${name}=${value}`];
  if (attributes.path) parts.push(`Path=${attributes.path}`);
  if (attributes.maxAge !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`);
    if (attributes.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  if (attributes.sameSite) parts.push(`SameSite=${attributes.sameSite}`);
  return parts.join('; ');
}

/** The response methods the cookie writer needs; Express's `res` and Fastify's `reply` both have `header`. */
interface HeaderWritable {
  header?(name: string, value: string | string[]): unknown;
  getHeader?(name: string): unknown;
  raw?: { getHeader(name: string): unknown };
  setHeader?(name: string, value: string | string[]): unknown;
}

/**
 * Appends a `Set-Cookie` header without replacing cookies set earlier, on Express and Fastify.
 *
 * @example appendSetCookie(response, serializeCookie('__Host-session', id, { secure: true, path: '/', httpOnly: true }));
 */
export function appendSetCookie(response: unknown, cookie: string): void {
  const target = response as HeaderWritable;
  if (target.raw && typeof target.header === 'function') {
    // Fastify's reply.header appends to an existing set-cookie header.
    target.header('set-cookie', cookie);
    return;
  }
  const existing = target.getHeader?.('set-cookie');
  const cookies = existing === undefined ? [cookie] : [...(Array.isArray(existing) ? existing : [String(existing)]), cookie];
  if (typeof target.setHeader === 'function') target.setHeader('set-cookie', cookies);
  else throw new TypeError('appendSetCookie: unsupported response object');
}
