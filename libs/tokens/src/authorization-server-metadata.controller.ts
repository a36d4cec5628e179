import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { Public, requestOwnOrigin, type GatehouseRequest } from '@gatehouse/core';
import { TokenEndpointContext } from './token-endpoint.context.js';
import type { ResolvedTokenEndpointsOptions } from './token-endpoints-options.interface.js';
import { TOKEN_ENDPOINTS_OPTIONS } from './tokens.constants.js';

/** RFC 8414 §2 authorization server metadata, as far as gatehouse implements OAuth. */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint?: string;
  jwks_uri?: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  response_types_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  introspection_endpoint_auth_methods_supported?: string[];
}

/**
 * `GET /.well-known/oauth-authorization-server` (RFC 8414): where the token, revocation,
 * introspection and JWKS endpoints are, which grants and client-authentication methods they
 * take, so OAuth clients (openid-client's `discovery`) configure themselves. There is no
 * authorization endpoint: `response_types_supported` is empty.
 */
@Public()
@Controller()
export class AuthorizationServerMetadataController {
  constructor(
    private readonly context: TokenEndpointContext,
    @Inject(TOKEN_ENDPOINTS_OPTIONS) private readonly options: ResolvedTokenEndpointsOptions,
  ) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  metadata(@Req() request: GatehouseRequest): AuthorizationServerMetadata {
    const issuer = this.context.options.issuer;
    const base = this.options.baseUrl ?? (/^https?:\/\//.test(issuer) ? new URL(issuer).origin : (requestOwnOrigin(request) ?? ''));
    const url = (path: string | false | undefined) => (path ? `${base}${path}` : undefined);
    const confidential = this.context.hasClients() ? ['client_secret_basic', 'client_secret_post'] : [];
    const grants = ['refresh_token', ...(this.context.hasClients() ? ['client_credentials'] : [])];
    const metadata: AuthorizationServerMetadata = {
      issuer,
      response_types_supported: [],
      grant_types_supported: grants,
      token_endpoint_auth_methods_supported: ['none', ...confidential],
    };
    const entries: Array<[keyof AuthorizationServerMetadata, string | undefined]> = [
      ['token_endpoint', url(this.options.tokenEndpoint)],
      ['jwks_uri', url(this.options.jwks)],
      ['revocation_endpoint', url(this.options.revocation)],
      ['introspection_endpoint', url(this.options.introspection)],
    ];
    for (const [name, value] of entries) if (value !== undefined) (metadata as unknown as Record<string, unknown>)[name] = value;
    if (metadata.revocation_endpoint) metadata.revocation_endpoint_auth_methods_supported = ['none', ...confidential];
    if (metadata.introspection_endpoint) metadata.introspection_endpoint_auth_methods_supported = confidential;
    return metadata;
  }
}
