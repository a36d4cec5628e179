import { Inject, Injectable } from '@nestjs/common';
import { GATEHOUSE_OPTIONS, GatehouseError, readHeader, type GatehouseRequest, type Principal, type ResolvedGatehouseOptions } from '@gatehouse/core';
import type { ClientAuthenticationParameters, OAuthClients } from '@gatehouse/tokens';
import { API_KEYS_OPTIONS } from './api-keys.constants.js';
import type { ResolvedApiKeysOptions } from './api-keys-options.interface.js';
import { ApiKeyVerifier } from './api-key.verifier.js';

/** How the client sent its API key. */
type Method = 'header' | 'client_secret_basic' | 'client_secret_post';

/** RFC 6749 §2.3.1: each half of HTTP Basic credentials is form-urlencoded before base64. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * API keys as OAuth confidential clients: the key is the client secret and its id the
 * `client_id`. Accepted as the key header, as `client_secret_basic` (HTTP Basic, RFC 6749 §2.3.1)
 * or as `client_secret_post` (`client_id` + `client_secret` in the form body, never a URL). One
 * method per request; a `client_id`, wherever sent, must name the key that authenticated.
 */
@Injectable()
export class ApiKeyOAuthClients implements OAuthClients {
  constructor(
    @Inject(API_KEYS_OPTIONS) private readonly keyOptions: ResolvedApiKeysOptions,
    private readonly verifier: ApiKeyVerifier,
    @Inject(GATEHOUSE_OPTIONS) private readonly gatehouse: ResolvedGatehouseOptions,
  ) {}

  async authenticate(request: GatehouseRequest, parameters: ClientAuthenticationParameters): Promise<Principal | undefined> {
    const header = request.headers[this.keyOptions.header];
    const basic = readHeader(request, 'authorization')?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
    const used = [header !== undefined, basic !== undefined && basic !== null, parameters.client_secret !== undefined].filter(Boolean).length;
    if (used > 1) throw new GatehouseError('invalid_request', { message: 'Send one client credential.' });
    let method: Method;
    let key: string;
    let clientId = parameters.client_id;
    if (header !== undefined) {
      method = 'header';
      key = typeof header === 'string' ? header : '';
    } else if (basic) {
      method = 'client_secret_basic';
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw this.invalidClient(method);
      const basicId = formDecode(decoded.slice(0, colon));
      if (clientId !== undefined && clientId !== basicId) throw this.invalidClient(method);
      clientId = basicId;
      key = formDecode(decoded.slice(colon + 1));
    } else if (parameters.client_secret !== undefined) {
      method = 'client_secret_post';
      if (clientId === undefined) throw new GatehouseError('invalid_request', { message: 'client_secret needs client_id.' });
      key = parameters.client_secret;
    } else {
      return undefined;
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(key, request.ip);
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'invalid_api_key') throw this.invalidClient(method);
      throw error;
    }
    if (clientId !== undefined && clientId !== principal.credential.id) throw this.invalidClient(method);
    return principal;
  }

  /** RFC 6749 §5.2: 401 with a challenge for the scheme the client tried. */
  invalidClient(method: Method | 'Basic' | 'ApiKey'): GatehouseError {
    const challenge =
      method === 'client_secret_basic' || method === 'Basic'
        ? `Basic realm="${this.gatehouse.realm}"`
        : `ApiKey realm="${this.gatehouse.realm}", header="${this.keyOptions.header}"`;
    return new GatehouseError('invalid_client', { headers: { 'WWW-Authenticate': challenge } });
  }
}
