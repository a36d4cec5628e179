import { Controller, Header, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { GatehouseError, Public, readHeader, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { readOAuthParameters } from './oauth-parameters.js';
import { TokenEndpointContext } from './token-endpoint.context.js';
import { TOKEN_ENDPOINTS_OPTIONS } from './tokens.constants.js';
import type { ResolvedTokenEndpointsOptions } from './token-endpoints-options.interface.js';

/** An RFC 7662 §2.2 introspection response. */
export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  sub?: string;
  aud?: string | string[];
  iss?: string;
  exp?: number;
  iat?: number;
  jti?: string;
  sid?: string;
  token_type?: 'Bearer';
  /** gatehouse's principal kind of the token: `user` or `service`. */
  kind?: string;
}

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/**
 * Token introspection (RFC 7662) for resource servers that cannot see revocations themselves:
 * `{token, token_type_hint?}` → `{active: true, scope, client_id, sub, aud, iss, exp, iat, jti,
 * sid, token_type, kind}` for a valid, unrevoked access token, else `{active: false}` (refresh
 * tokens are never disclosed). The caller authenticates as a resource server: an API key (as
 * `client_secret_basic`, `client_secret_post` or its header) or a service token (`Bearer`),
 * holding the `introspectionScope` (default `tokens:introspect`).
 */
@Public()
@Controller()
@UseFilters(OAuthErrorFilter)
export class IntrospectionController {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly context: TokenEndpointContext,
    @Inject(TOKEN_ENDPOINTS_OPTIONS) private readonly options: ResolvedTokenEndpointsOptions,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async introspect(@Req() request: GatehouseRequest & { body?: unknown }): Promise<IntrospectionResponse> {
    const { token, client_id, client_secret } = readOAuthParameters(request.body, ['token', 'token_type_hint', 'client_id', 'client_secret']);
    const caller = await this.caller(request, { client_id, client_secret });
    if (!caller.scopes.includes(this.options.introspectionScope)) {
      throw new GatehouseError('insufficient_scope', { scope: this.options.introspectionScope });
    }
    if (token === undefined) throw new GatehouseError('invalid_request', { message: 'token is required.' });
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof GatehouseError && error.status === 401) return INACTIVE;
      throw error;
    }
    const claims = decodeJwt(token);
    return {
      active: true,
      scope: principal.scopes.join(' '),
      ...(typeof claims.client_id === 'string' ? { client_id: claims.client_id } : {}),
      sub: principal.subject,
      ...(claims.aud !== undefined ? { aud: claims.aud } : {}),
      ...(claims.iss !== undefined ? { iss: claims.iss } : {}),
      ...(claims.exp !== undefined ? { exp: claims.exp } : {}),
      ...(claims.iat !== undefined ? { iat: claims.iat } : {}),
      jti: principal.credential.id,
      ...(principal.credential.sessionId ? { sid: principal.credential.sessionId } : {}),
      token_type: 'Bearer',
      kind: principal.kind,
    };
  }

  /** A service token in `Authorization: Bearer`, else a confidential client (API key); nothing at all is `invalid_client`. */
  private async caller(request: GatehouseRequest, parameters: { client_id?: string; client_secret?: string }): Promise<Principal> {
    const bearer = readHeader(request, 'authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (bearer !== undefined) {
      if (parameters.client_secret !== undefined) throw new GatehouseError('invalid_request', { message: 'Send one client credential.' });
      const principal = await this.verifier.verify(bearer);
      if (principal.kind !== 'service') throw new GatehouseError('forbidden', { message: 'Introspection is for resource servers: use an API key or a service token.' });
      return principal;
    }
    const client = await this.context.client(request, parameters);
    if (client === undefined) throw this.context.invalidClient();
    return client;
  }
}
