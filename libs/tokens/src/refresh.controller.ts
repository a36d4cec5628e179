import { Controller, Header, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { GatehouseError, Public, type GatehouseRequest } from '@gatehouse/core';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { readOAuthParameters } from './oauth-parameters.js';
import { TokenEndpointContext } from './token-endpoint.context.js';
import { TokenGrants, type TokenPair, type TokenResponseBody } from './token-grants.service.js';

/** The parameters of a refresh request (RFC 6749 §6, RFC 8707 `resource`), plus `delivery`. */
export const REFRESH_PARAMETERS = ['grant_type', 'refresh_token', 'scope', 'client_id', 'resource', 'delivery'] as const;

/**
 * Refresh (RFC 6749 §6): `{refresh_token, scope?, resource?}` as JSON or a form (with
 * `grant_type=refresh_token`), or no token and the refresh cookie → a new pair. Using the cookie,
 * or asking for it with `delivery: "cookie"`, needs an allowed origin. Failures are RFC 6749 §5.2:
 * 400 `invalid_grant` (unknown, expired, revoked or reused: a reuse also revokes the family),
 * 409 `refresh_in_progress`, 400 `invalid_scope` / `invalid_target`.
 */
@Public()
@Controller()
@UseFilters(OAuthErrorFilter)
export class RefreshController {
  constructor(
    private readonly grants: TokenGrants,
    private readonly context: TokenEndpointContext,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async refresh(@Req() request: GatehouseRequest & { body?: unknown }, @Res({ passthrough: true }) response: unknown): Promise<TokenResponseBody> {
    const parameters = readOAuthParameters(request.body, REFRESH_PARAMETERS);
    if (parameters.grant_type !== undefined && parameters.grant_type !== 'refresh_token') throw new GatehouseError('unsupported_grant_type');
    const fromCookie = parameters.refresh_token === undefined;
    const delivery = fromCookie ? 'cookie' : this.context.delivery(parameters.delivery);
    if (!fromCookie && delivery === 'cookie') this.context.checkCookieOrigin(request, response);
    const token = fromCookie ? this.context.readCookie(request, response) : parameters.refresh_token;
    if (token === undefined) throw new GatehouseError('invalid_request', { message: 'Send refresh_token in the body, or the refresh cookie.' });
    let pair: TokenPair;
    try {
      pair = await refreshWith(this.grants, this.context, request, parameters, token);
    } catch (error) {
      // A dead cookie is deleted; a retry-later answer keeps it.
      if (fromCookie && error instanceof GatehouseError && error.code !== 'refresh_in_progress') this.context.cookie.clear(response);
      throw error;
    }
    return this.context.respond(pair, delivery, response);
  }
}

/**
 * The refresh grant shared by the refresh endpoint and a combined `/oauth/token`: `client_id`, if
 * sent, must be the first-party client the tokens were issued to (else `invalid_grant`, RFC 6749 §6).
 */
export function refreshWith(
  grants: TokenGrants,
  context: TokenEndpointContext,
  request: GatehouseRequest,
  parameters: { client_id?: string; scope?: string; resource?: string },
  token: string,
): Promise<TokenPair> {
  if (parameters.client_id !== undefined && parameters.client_id !== context.options.clientId) {
    throw new GatehouseError('invalid_grant', { message: 'The refresh token was not issued to this client.' });
  }
  const scopes = parameters.scope === undefined ? undefined : parameters.scope.split(' ').filter(Boolean);
  return grants.refresh(token, context.meta(request), scopes, context.audience(parameters.resource));
}
