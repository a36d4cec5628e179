import { SetMetadata } from '@nestjs/common';

export const API_KEY_AUTH_KEY = 'gatehouse:api-key-auth';

export interface ApiKeyAuthOptions {
  /** Accept API keys only: bearer tokens and session cookies are refused on this route. Default `false`. */
  only?: boolean;
}

/**
 * Lets a route accept API keys (sent in the API-key header) in addition to the default mechanisms.
 *
 * @example @ApiKeyAuth() @Scopes('orders:read') @Get('orders') list() {}
 * @example @ApiKeyAuth({ only: true }) @Post('ingest') ingest() {}
 */
export const ApiKeyAuth = (options: ApiKeyAuthOptions = {}): MethodDecorator & ClassDecorator =>
  SetMetadata(API_KEY_AUTH_KEY, { only: options.only ?? false });
