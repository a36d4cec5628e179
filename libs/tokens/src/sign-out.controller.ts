import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { Public, type GatehouseRequest } from '@gatehouse/core';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { RefreshFamilies } from './refresh-families.service.js';
import { TokenEndpointContext } from './token-endpoint.context.js';

/**
 * Web sign-out with the refresh cookie → 204: its family is revoked (with every access token it
 * issued) and the cookie deleted. The cookie is an ambient credential, so the origin is checked,
 * with or without a cookie.
 */
@Public()
@Controller()
@UseFilters(OAuthErrorFilter)
export class SignOutController {
  constructor(
    private readonly families: RefreshFamilies,
    private readonly context: TokenEndpointContext,
  ) {}

  @Post()
  @HttpCode(204)
  async signOut(@Req() request: GatehouseRequest, @Res({ passthrough: true }) response: unknown): Promise<void> {
    // Checked even without a cookie: deleting it is acting on it (a cross-site form must not sign the victim out).
    this.context.checkCookieOrigin(request, response);
    const token = this.context.cookie.read(request);
    if (token !== undefined) await this.families.revokeToken(token, 'logout');
    this.context.cookie.clear(response);
  }
}
