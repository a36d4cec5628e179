import { Inject, Injectable } from '@nestjs/common';
import { appendVary, checkHandshakeOrigin, checkRequestOrigin, GatehouseError, isSafeMethod, ORIGIN_CHECK_VARY, type GatehouseRequest } from '@gatehouse/core';
import { csrfTokenMatches } from './session-secret.js';
import { SESSIONS_OPTIONS } from './sessions.constants.js';
import type { ResolvedSessionsOptions } from './sessions-options.interface.js';

/** Marks a request whose response depends on its origin headers (read by `SessionVaryHook`). */
export const ORIGIN_CHECKED = Symbol('gatehouse:sessions:origin-checked');

/**
 * CSRF defence for requests authenticated by the session cookie, on unsafe methods, in this order:
 * 1. Fetch Metadata / Origin (`checkRequestOrigin`): cross-site → 403 `cross_site_request`.
 * 2. Body type: only `allowedContentTypes` (JSON) → else 415 `unsupported_media_type`, so HTML
 *    forms and `text/plain` / no-cors fetches (which need no CORS preflight) never get through.
 * 3. Synchronizer token in the CSRF header, bound to the session → else 403 `csrf_token_invalid`.
 *    Only the header is read: a token in the query string or body is ignored.
 */
@Injectable()
export class CsrfProtection {
  constructor(@Inject(SESSIONS_OPTIONS) private readonly options: ResolvedSessionsOptions) {}

  /** Steps 1 and 2, for unsafe requests that carry no session yet (login: login CSRF). */
  checkRequest(request: GatehouseRequest): void {
    if (isSafeMethod(request.method)) return;
    (request as unknown as Record<symbol, boolean>)[ORIGIN_CHECKED] = true;
    // Express links the response from the request: say now that the answer varies by origin.
    const response = (request as { res?: unknown }).res;
    if (response) appendVary(response);
    checkRequestOrigin(request, this.options.allowedOrigins, {
      trustSameSite: this.options.trustSameSite,
      requireOriginHeaders: this.options.requireOriginHeaders,
    });
    this.checkContentType(request);
  }

  /** A WebSocket handshake with the session cookie: its `Origin` must be allowed (403 `cross_site_request`). */
  checkHandshake(request: GatehouseRequest): void {
    checkHandshakeOrigin(request, this.options.allowedOrigins);
  }

  /** All three steps for a request authenticated by the session whose cookie secret is `secret`. */
  verify(request: GatehouseRequest, secret: string): void {
    if (isSafeMethod(request.method)) return;
    this.checkRequest(request);
    const presented = request.headers[this.options.csrfHeader];
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 256 || !csrfTokenMatches(secret, presented)) {
      throw new GatehouseError('csrf_token_invalid', { headers: { Vary: ORIGIN_CHECK_VARY } });
    }
  }

  private checkContentType(request: GatehouseRequest): void {
    const type = request.headers['content-type'];
    if (type === undefined) {
      if (hasBody(request)) throw unsupportedMediaType();
      return;
    }
    const media = typeof type === 'string' ? type.split(';', 1)[0]!.trim().toLowerCase() : '';
    if (!this.options.allowedContentTypes.includes(media)) throw unsupportedMediaType();
  }
}

function hasBody(request: GatehouseRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function unsupportedMediaType(): GatehouseError {
  return new GatehouseError('unsupported_media_type', { headers: { Vary: ORIGIN_CHECK_VARY } });
}
