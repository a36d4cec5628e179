import { Inject, Injectable } from '@nestjs/common';
import { GATEHOUSE_OPTIONS, GatehouseError, isScopeToken, readHeader, type GatehouseRequest, type Principal, type ResolvedGatehouseOptions } from '@gatehouse/core';
import { AccessTokenIssuer } from '@gatehouse/tokens';
import { API_KEYS_OPTIONS, CLIENT_CREDENTIALS_OPTIONS, apiKeyTokenSessionId } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyVerifier } from './api-key.verifier.js';
import type { ResolvedClientCredentialsOptions } from './client-credentials-options.interface.js';

/** A successful token response (RFC 6749 §5.1). */
export interface ClientCredentialsTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * The client-credentials grant (RFC 6749 §4.4) with an API key as the client credential: the
 * key's owner becomes `sub`, its id `client_id`, and the token carries the requested scopes
 * (all of the key's by default, never more) for one allowed audience. Errors are RFC 6749 §5.2:
 * `invalid_request`, `invalid_client`, `invalid_scope`, `unsupported_grant_type`, and RFC 8707's
 * `invalid_target` for an audience not on the list. The token's `sid` names the key, so revoking
 * the key revokes its service tokens too.
 */
@Injectable()
export class ClientCredentialsExchange {
  constructor(
    @Inject(CLIENT_CREDENTIALS_OPTIONS) protected readonly options: ResolvedClientCredentialsOptions,
    @Inject(API_KEYS_OPTIONS) protected readonly keyOptions: ResolvedApiKeysOptions,
    protected readonly verifier: ApiKeyVerifier,
    protected readonly issuer: AccessTokenIssuer,
    @Inject(GATEHOUSE_OPTIONS) protected readonly gatehouse: ResolvedGatehouseOptions,
  ) {}

  async exchange(request: GatehouseRequest & { body?: unknown }): Promise<ClientCredentialsTokenResponse> {
    const form = this.readForm(request);
    const grantType = form.get('grant_type');
    if (grantType === undefined) throw oauth('invalid_request', 'grant_type is required.');
    if (grantType !== 'client_credentials') throw oauth('unsupported_grant_type');
    const client = await this.authenticate(request, form);
    const scopes = this.grantedScopes(form.get('scope'), client);
    const audience = this.audience(form.get('audience'));
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

  /** The form parameters; each may appear once (RFC 6749 §3.2), and only form bodies are read. */
  protected readForm(request: GatehouseRequest & { body?: unknown }): Map<string, string> {
    const type = readHeader(request, 'content-type')?.split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw oauth('invalid_request', 'The body must be application/x-www-form-urlencoded.');
    }
    const body = request.body;
    const form = new Map<string, string>();
    if (body === undefined || body === null) return form;
    if (typeof body !== 'object') throw oauth('invalid_request');
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value !== 'string') throw oauth('invalid_request', `Parameter ${name.slice(0, 40)} must be sent once.`);
      form.set(name, value);
    }
    return form;
  }

  /** The API key from the key header, or as the password of HTTP Basic (`client_id` = key id). */
  protected async authenticate(request: GatehouseRequest, form: Map<string, string>): Promise<Principal> {
    const header = request.headers[this.keyOptions.header];
    const authorization = readHeader(request, 'authorization');
    const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
    if (form.has('client_secret') || form.has('api_key')) {
      throw oauth('invalid_request', 'Send the API key in a header, never in the body.');
    }
    if (header !== undefined && authorization !== undefined) throw oauth('invalid_request', 'Send one client credential.');
    let key: string | undefined;
    let clientId: string | undefined;
    if (header !== undefined) key = typeof header === 'string' ? header : '';
    else if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = colon >= 0 ? safeDecode(decoded.slice(0, colon)) : undefined;
      key = colon >= 0 ? safeDecode(decoded.slice(colon + 1)) : '';
    } else if (authorization !== undefined) {
      throw this.invalidClient('Basic');
    }
    if (key === undefined) throw this.invalidClient('ApiKey');
    const formClientId = form.get('client_id');
    let principal: Principal;
    try {
      principal = await this.verifier.verify(key, request.ip);
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'invalid_api_key') throw this.invalidClient(basic ? 'Basic' : 'ApiKey');
      throw error;
    }
    // A client_id, if sent, must name the key that authenticated (RFC 6749 §3.2.1).
    for (const id of [clientId, formClientId]) {
      if (id !== undefined && id !== principal.credential.id) throw this.invalidClient(basic ? 'Basic' : 'ApiKey');
    }
    return principal;
  }

  /** RFC 6749 §5.2: 401 with a challenge for the scheme the client tried. */
  protected invalidClient(scheme: 'Basic' | 'ApiKey'): GatehouseError {
    const challenge = scheme === 'Basic' ? `Basic realm="${this.gatehouse.realm}"` : `ApiKey realm="${this.gatehouse.realm}", header="${this.keyOptions.header}"`;
    return new GatehouseError('invalid_client', { headers: { 'WWW-Authenticate': challenge } });
  }

  protected grantedScopes(requested: string | undefined, client: Principal): string[] {
    if (requested === undefined) return [...client.scopes];
    const scopes = requested.split(' ');
    if (scopes.some((scope) => !isScopeToken(scope))) throw oauth('invalid_scope');
    const missing = scopes.filter((scope) => !client.scopes.includes(scope));
    if (missing.length > 0) throw oauth('invalid_scope');
    return [...new Set(scopes)];
  }

  protected audience(requested: string | undefined): string {
    const audience = requested ?? this.options.defaultAudience;
    if (audience === undefined) throw oauth('invalid_request', 'audience is required.');
    if (!this.options.audiences.includes(audience)) throw oauth('invalid_target');
    return audience;
  }
}

function oauth(code: 'invalid_request' | 'invalid_scope' | 'unsupported_grant_type' | 'invalid_target', message?: string): GatehouseError {
  return new GatehouseError(code, message ? { message } : {});
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
