import { Inject, Injectable } from '@nestjs/common';
import { GatehouseError, readHeader, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { AccessTokenIssuer, readOAuthParameters, refreshWith, TokenEndpointContext, TokenGrants, toTokenResponse, type TokenResponseBody } from '@gatehouse/tokens';
import { CLIENT_CREDENTIALS_OPTIONS, apiKeyTokenSessionId } from './api-keys.constants.js';
import { ApiKeyOAuthClients } from './api-key-oauth-clients.js';
import type { ResolvedClientCredentialsOptions } from './client-credentials-options.interface.js';

/** A successful token response (RFC 6749 §5.1). */
export interface ClientCredentialsTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The parameters `/oauth/token` reads; any other is ignored (RFC 6749 §3.2). */
const PARAMETERS = ['grant_type', 'scope', 'resource', 'audience', 'client_id', 'client_secret', 'refresh_token'] as const;
type Parameters = Partial<Record<(typeof PARAMETERS)[number], string>>;

/**
 * The token endpoint of OAuth clients. `client_credentials` (RFC 6749 §4.4) with an API key as
 * the client credential (key header, `client_secret_basic`, `client_secret_post`): the key's
 * owner becomes `sub`, its id `client_id`, and the token carries the requested scopes (all of
 * the key's by default, never more) for the audience its RFC 8707 `resource` names (`audience`
 * is read too, for older clients). `refresh_token` (RFC 6749 §6) is the tokens library's
 * refresh grant, so one `token_endpoint` serves both. Errors are RFC 6749 §5.2. A service
 * token's `sid` names the key, so revoking the key revokes its service tokens too.
 */
@Injectable()
export class ClientCredentialsExchange {
  constructor(
    @Inject(CLIENT_CREDENTIALS_OPTIONS) protected readonly options: ResolvedClientCredentialsOptions,
    protected readonly clients: ApiKeyOAuthClients,
    protected readonly issuer: AccessTokenIssuer,
    protected readonly grants: TokenGrants,
    protected readonly context: TokenEndpointContext,
  ) {}

  /** The RFC 6749 §5.1 response for a `client_credentials` or `refresh_token` grant. */
  async exchange(request: GatehouseRequest & { body?: unknown }): Promise<ClientCredentialsTokenResponse | TokenResponseBody> {
    const form = this.readForm(request);
    if (form.grant_type === undefined) throw oauth('invalid_request', 'grant_type is required.');
    if (form.grant_type === 'refresh_token') return this.refresh(request, form);
    if (form.grant_type !== 'client_credentials') throw oauth('unsupported_grant_type');
    const client = await this.authenticate(request, form);
    const scopes = this.grantedScopes(form.scope, client);
    const audience = this.audience(form.resource, form.audience);
    const issued = await this.issuer.issue({
      subject: client.subject,
      scopes,
      audience,
      clientId: client.credential.id,
      kind: 'service',
      sessionId: apiKeyTokenSessionId(client.credential.id),
      ...(this.options.tokenLifetimeSeconds !== undefined ? { lifetimeSeconds: this.options.tokenLifetimeSeconds } : {}),
    });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
  }

  /** The form parameters this endpoint reads; each may appear once, and only form bodies are read. */
  protected readForm(request: GatehouseRequest & { body?: unknown }): Parameters {
    const type = readHeader(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw oauth('invalid_request', 'The body must be application/x-www-form-urlencoded.');
    }
    return readOAuthParameters(request.body, PARAMETERS);
  }

  /** The API key client; a non-Basic `Authorization` (e.g. a bearer token) or no credential at all is `invalid_client`. */
  protected async authenticate(request: GatehouseRequest, form: Parameters): Promise<Principal> {
    const authorization = readHeader(request, 'authorization');
    if (authorization !== undefined && !/^Basic\s/i.test(authorization)) throw this.clients.invalidClient('Basic');
    const client = await this.clients.authenticate(request, { client_id: form.client_id, client_secret: form.client_secret });
    if (!client) throw this.clients.invalidClient('ApiKey');
    return client;
  }

  /** The first-party refresh grant; API-key clients hold no refresh tokens, so a client credential here is `invalid_grant`. */
  protected async refresh(request: GatehouseRequest, form: Parameters): Promise<TokenResponseBody> {
    if (form.refresh_token === undefined) throw oauth('invalid_request', 'refresh_token is required.');
    const client = await this.clients.authenticate(request, { client_id: undefined, client_secret: form.client_secret });
    if (client) throw new GatehouseError('invalid_grant', { message: 'The refresh token was not issued to this client.' });
    return toTokenResponse(await refreshWith(this.grants, this.context, request, form, form.refresh_token));
  }

  protected grantedScopes(requested: string | undefined, client: Principal): string[] {
    if (requested === undefined) return [...client.scopes];
    const scopes = requested.split(' ');
    if (scopes.some((scope) => !SCOPE_TOKEN.test(scope))) throw oauth('invalid_scope');
    const missing = scopes.filter((scope) => !client.scopes.includes(scope));
    if (missing.length > 0) throw oauth('invalid_scope');
    return [...new Set(scopes)];
  }

  /** RFC 8707 `resource` (or the older `audience`) selects the audience, from the allowed list. */
  protected audience(resource: string | undefined, legacy: string | undefined): string {
    if (resource !== undefined && legacy !== undefined && resource !== legacy) throw oauth('invalid_request', 'Send resource or audience, not both.');
    const audience = resource ?? legacy ?? this.options.defaultAudience;
    if (audience === undefined) throw oauth('invalid_request', 'resource is required.');
    if (!this.options.audiences.includes(audience)) throw oauth('invalid_target');
    return audience;
  }
}

function oauth(code: 'invalid_request' | 'invalid_scope' | 'unsupported_grant_type' | 'invalid_target', message?: string): GatehouseError {
  return new GatehouseError(code, message ? { message } : {});
}
