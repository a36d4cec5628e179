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
  if (typeof header !== 'string' || !header.includes(name)) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
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
