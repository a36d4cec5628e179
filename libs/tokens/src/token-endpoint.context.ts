import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { appendVary, GATEHOUSE_OPTIONS, GatehouseError, readHeader, type GatehouseRequest, type Principal, type ResolvedGatehouseOptions } from '@gatehouse/core';
import { OAuthClients, type ClientAuthenticationParameters } from './oauth-clients.port.js';
import type { RefreshMeta } from './refresh-families.service.js';
import { RefreshCookie } from './refresh-cookie.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { TOKENS_OPTIONS } from './tokens.constants.js';
import { toTokenResponse, type TokenPair, type TokenResponseBody } from './token-grants.service.js';

/** How a client asks for its refresh token: in the JSON body, or in the HttpOnly cookie (web clients). */
export type RefreshDelivery = 'body' | 'cookie';

/** Metadata key on the sign-in handler, for app-side hooks such as a throttler's `skipIf`. */
export const SIGN_IN_ROUTE = 'gatehouse:sign-in-route';

/** What the token endpoints share: request facts, the cookie's CSRF rule, client authentication and the response. */
@Injectable()
export class TokenEndpointContext {
  private clients: OAuthClients | null | undefined;

  constructor(
    @Inject(TOKENS_OPTIONS) readonly options: ResolvedTokensOptions,
    readonly cookie: RefreshCookie,
    private readonly moduleRef: ModuleRef,
    @Inject(GATEHOUSE_OPTIONS) private readonly gatehouse: ResolvedGatehouseOptions,
  ) {}

  /** `invalid_client` (401) with an HTTP Basic challenge, as RFC 6749 §5.2 asks of a failed client authentication. */
  invalidClient(message?: string): GatehouseError {
    return new GatehouseError('invalid_client', { headers: { 'WWW-Authenticate': `Basic realm="${this.gatehouse.realm}"` }, ...(message ? { message } : {}) });
  }

  meta(request: GatehouseRequest): RefreshMeta {
    return { ip: request.ip, userAgent: readHeader(request, 'user-agent') };
  }

  /** `body` (default) or `cookie`; anything else is `invalid_request`. */
  delivery(value: string | undefined): RefreshDelivery {
    if (value === undefined || value === 'body' || value === 'cookie') return value ?? 'body';
    throw new GatehouseError('invalid_request', { message: 'delivery must be "body" or "cookie".' });
  }

  /**
   * The CSRF rule of an ambient credential, for every request that sets the refresh cookie or acts
   * on it: Fetch Metadata / `Origin` / `Referer` must name an allowed origin (login CSRF included).
   */
  checkCookieOrigin(request: GatehouseRequest, response: unknown): void {
    appendVary(response);
    this.cookie.checkOrigin(request);
  }

  /** The refresh cookie, after its origin check; `undefined` when none was sent. */
  readCookie(request: GatehouseRequest, response: unknown): string | undefined {
    const token = this.cookie.read(request);
    if (token === undefined) return undefined;
    this.checkCookieOrigin(request, response);
    return token;
  }

  /** The RFC 6749 §5.1 body; the refresh token goes to the cookie instead when asked. */
  respond(pair: TokenPair, delivery: RefreshDelivery, response: unknown): TokenResponseBody {
    if (delivery === 'cookie') this.cookie.write(response, pair.refreshToken, pair.refreshExpiresAt);
    return toTokenResponse(pair, delivery !== 'cookie');
  }

  /** The authenticated confidential client, `undefined` when none presented credentials (or no `OAuthClients` is registered). */
  async client(request: GatehouseRequest, parameters: ClientAuthenticationParameters): Promise<Principal | undefined> {
    const clients = this.oauthClients();
    if (clients) return clients.authenticate(request, parameters);
    if (parameters.client_secret !== undefined || /^basic\s/i.test(readHeader(request, 'authorization') ?? '')) throw this.invalidClient();
    return undefined;
  }

  /** The audience a `resource` parameter (RFC 8707) selects: one of the accepted audiences, else `invalid_target`. */
  audience(resource: string | undefined): string | undefined {
    if (resource === undefined) return undefined;
    if (!this.options.acceptedAudiences.includes(resource)) throw new GatehouseError('invalid_target');
    return resource;
  }

  hasClients(): boolean {
    return this.oauthClients() !== undefined;
  }

  private oauthClients(): OAuthClients | undefined {
    if (this.clients === undefined) {
      try {
        this.clients = this.moduleRef.get<OAuthClients>(OAuthClients, { strict: false });
      } catch {
        this.clients = null;
      }
    }
    return this.clients ?? undefined;
  }
}
