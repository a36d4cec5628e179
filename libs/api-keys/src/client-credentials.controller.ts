import { Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { Public, type GatehouseRequest } from '@gatehouse/core';
import { OAuthErrorFilter, type TokenResponseBody } from '@gatehouse/tokens';
import { ClientCredentialsExchange, type ClientCredentialsTokenResponse } from './client-credentials.exchange.js';

/**
 * `POST /oauth/token` for `grant_type=client_credentials` (RFC 6749 §4.4) and `refresh_token`
 * (§6), form-encoded; every failure an RFC 6749 §5.2 body. Public
 * for the guard: the exchange authenticates the API key itself so that failures answer in
 * OAuth's terms (`invalid_client`) rather than the guard's.
 */
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class ClientCredentialsController {
  constructor(private readonly exchange: ClientCredentialsExchange) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Req() request: GatehouseRequest & { body?: unknown }): Promise<ClientCredentialsTokenResponse | TokenResponseBody> {
    return this.exchange.exchange(request);
  }
}
