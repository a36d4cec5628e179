import { GatehouseConfigurationError, type ConfigurationSite } from './configuration-error.js';
import { GatehouseError } from './gatehouse.error.js';
import { readHeader, type GatehouseRequest } from './gatehouse-request.interface.js';

/** The request headers an origin decision depends on: send them in `Vary` on such responses. */
export const ORIGIN_CHECK_VARY = 'Sec-Fetch-Site, Origin';

/** How `checkRequestOrigin` treats the edge cases. */
export interface RequestOriginOptions {
  /**
   * Accept `Sec-Fetch-Site: same-site` (a sibling subdomain) without an allow-listed `Origin`.
   * Default `false`: subdomains are often less trusted (user content, old apps).
   */
  trustSameSite?: boolean;
  /**
   * Refuse unsafe requests that carry neither `Sec-Fetch-Site` nor `Origin` nor `Referer`.
   * Default `false`: such requests come from non-browser clients (curl, server SDKs), which
   * cannot be driven by a third-party page; every browser in support sends `Origin` on an unsafe
   * cross-origin request, so a forged browser request never arrives without it.
   */
  requireOriginHeaders?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** True for methods that must not change state (RFC 9110 §9.2.1), which need no CSRF defence. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The canonical serialisation of an origin (`scheme://host[:port]`, lower case, default port
 * dropped), or undefined for anything that is not an http(s) origin.
 *
 * @example normalizeOrigin('HTTPS://App.Example.com:443/') // 'https://app.example.com'
 */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return url.origin;
}

/**
 * The origin the request was addressed to: its scheme (Express' and Fastify's `protocol`, which
 * honour their `trust proxy` settings, else the socket's TLS state) and its `Host` header. A
 * victim's browser always sends the real host, so a forged cross-site request cannot choose it.
 */
export function requestOwnOrigin(request: GatehouseRequest): string | undefined {
  const host = readHeader(request, 'host');
  if (!host || !HOST.test(host)) return undefined;
  const candidate = request as { protocol?: unknown; socket?: { encrypted?: unknown } };
  const scheme =
    candidate.protocol === 'https' || candidate.protocol === 'http' ? candidate.protocol : candidate.socket?.encrypted ? 'https' : 'http';
  return normalizeOrigin(`${scheme}://${host}`);
}

/** Normalises configured origins once, failing fast on a typo; `site` names the option in errors. */
export function normalizeAllowedOrigins(origins: readonly string[], site: ConfigurationSite = { module: 'Gatehouse', option: 'allowedOrigins' }): string[] {
  if (!Array.isArray(origins)) throw GatehouseConfigurationError.at(site, 'must be a list of origins');
  return origins.map((origin, index) => {
    const normalized = typeof origin === 'string' ? normalizeOrigin(origin) : undefined;
    if (!normalized || new URL(origin).pathname.length > 1) {
      throw GatehouseConfigurationError.at({ module: site.module, option: `${site.option}[${index}]` }, `invalid allowed origin "${String(origin)}": use scheme://host[:port]`);
    }
    return normalized;
  });
}

/**
 * Refuses a cross-site request with an unsafe method (CSRF), with `403 cross_site_request` and
 * `Vary: Sec-Fetch-Site, Origin`. Safe methods always pass. For unsafe ones:
 *
 * 1. `Sec-Fetch-Site` (Fetch Metadata, set by the browser, unforgeable by page scripts):
 *    `same-origin` and `none` (the user's own navigation) pass; `same-site` passes only with
 *    `trustSameSite` or an allow-listed `Origin`; `cross-site` passes only with an allow-listed
 *    `Origin` (a front end deliberately configured on another origin); any other value fails.
 * 2. Without it, `Origin` (or, when absent, the origin of `Referer`) must equal one allowed origin
 *    exactly — `https://example.org.attacker.com` is not `https://example.org`; `Origin: null`
 *    (sandboxed frames, opaque redirects) never matches.
 * 3. With none of the three headers the request is not from a browser's cross-site context and
 *    passes, unless `requireOriginHeaders` is set. Callers pair this check with a synchronizer
 *    token, so it is defence in depth, not the only barrier.
 *
 * `allowedOrigins` are normalised origins (see `normalizeAllowedOrigins`); empty means the
 * request's own origin (`requestOwnOrigin`). Behind a proxy that rewrites `Host`, configure them.
 *
 * @example checkRequestOrigin(request, ['https://app.example.com']);
 */
export function checkRequestOrigin(
  request: GatehouseRequest,
  allowedOrigins: readonly string[],
  options: RequestOriginOptions = {},
): void {
  if (isSafeMethod(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return;
    if (site === 'same-site' && options.trustSameSite) return;
    if ((site === 'same-site' || site === 'cross-site') && originAllowed(readHeader(request, 'origin'), request, allowedOrigins)) return;
    throw crossSite();
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (originAllowed(typeof origin === 'string' ? origin : undefined, request, allowedOrigins)) return;
    throw crossSite();
  }
  const referer = request.headers.referer;
  if (referer !== undefined) {
    const refererOrigin = typeof referer === 'string' ? normalizeOrigin(referer) : undefined;
    if (originAllowed(refererOrigin, request, allowedOrigins)) return;
    throw crossSite();
  }
  if (options.requireOriginHeaders) throw crossSite();
}

/**
 * Adds header names to a response's `Vary` without dropping those already there, on Express and
 * Fastify (both expose `getHeader` and `header`/`setHeader`).
 */
export function appendVary(response: unknown, value: string = ORIGIN_CHECK_VARY): void {
  const target = response as {
    getHeader?(name: string): unknown;
    setHeader?(name: string, value: string): unknown;
    header?(name: string, value: string): unknown;
  };
  const existing = target.getHeader?.('vary');
  const names = new Map<string, string>();
  for (const name of [...(Array.isArray(existing) ? existing : [existing ?? '']).join(',').split(','), ...value.split(',')]) {
    const trimmed = String(name).trim();
    if (trimmed) names.set(trimmed.toLowerCase(), trimmed);
  }
  const merged = names.has('*') ? '*' : [...names.values()].join(', ');
  if (typeof target.setHeader === 'function' && !('raw' in target)) target.setHeader('vary', merged);
  else if (typeof target.header === 'function') target.header('vary', merged);
  else throw new TypeError('appendVary: unsupported response object');
}

function originAllowed(origin: string | undefined, request: GatehouseRequest, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  if (allowed.length === 0) return origin === requestOwnOrigin(request);
  return allowed.includes(origin);
}

function crossSite(): GatehouseError {
  return new GatehouseError('cross_site_request', { headers: { Vary: ORIGIN_CHECK_VARY } });
}

/**
 * Refuses a WebSocket handshake carrying an ambient credential (a cookie) unless its `Origin` is
 * allowed: a handshake is a GET, which the CSRF checks let through, yet a cross-site page can open
 * a socket with the victim's cookie (cross-site WebSocket hijacking). Browsers always send
 * `Origin` on a handshake, so a missing or `null` one is refused too.
 *
 * @example checkHandshakeOrigin(request, []); // only the request's own origin
 */
export function checkHandshakeOrigin(request: GatehouseRequest, allowedOrigins: readonly string[]): void {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || !originAllowed(normalizeOrigin(origin), request, allowedOrigins)) throw crossSite();
}
