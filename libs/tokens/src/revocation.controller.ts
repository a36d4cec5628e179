import { Controller, Header, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { Clock, GatehouseError, Public, RevocationStore, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { readOAuthParameters } from './oauth-parameters.js';
import { RefreshFamilies } from './refresh-families.service.js';
import { isRefreshTokenFormat } from './refresh-token.codec.js';
import { TokenEndpointContext } from './token-endpoint.context.js';
import { tokenRevocationKey } from './tokens.constants.js';

/**
 * Token revocation (RFC 7009): `{token, token_type_hint?}` as a form or JSON → 200 `{}`, also
 * for a token that is unknown, expired or garbage (§2.2). A refresh token, or a user access
 * token, revokes its whole sign-in (the refresh family); possession is enough, as for the
 * public first-party client. A service token is revoked by itself, and only by the client it was
 * issued to, authenticated with `client_secret_basic` or `client_secret_post` (§2.1); a client
 * credential that is present is always checked (401 `invalid_client` when wrong).
 */
@Public()
@Controller()
@UseFilters(OAuthErrorFilter)
export class RevocationController {
  constructor(
    private readonly families: RefreshFamilies,
    private readonly verifier: AccessTokenVerifier,
    private readonly context: TokenEndpointContext,
    @Inject(RevocationStore) private readonly revocations: RevocationStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Req() request: GatehouseRequest & { body?: unknown }): Promise<Record<string, never>> {
    const { token, client_id, client_secret } = readOAuthParameters(request.body, ['token', 'token_type_hint', 'client_id', 'client_secret']);
    const client = await this.context.client(request, { client_id, client_secret });
    if (token === undefined) throw new GatehouseError('invalid_request', { message: 'token is required.' });
    if (isRefreshTokenFormat(token)) {
      await this.families.revokeToken(token);
      return {};
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      // §2.2: an invalid token is not an error; a fault is.
      if (error instanceof GatehouseError && error.status === 401) return {};
      throw error;
    }
    if (principal.kind === 'user' && principal.credential.sessionId) {
      await this.families.revokeFamily(principal.credential.sessionId, 'revoked_by_client', principal.subject);
    } else if (principal.kind === 'service') {
      await this.revokeServiceToken(token, principal, client);
    }
    return {};
  }

  private async revokeServiceToken(token: string, principal: Principal, client: Principal | undefined): Promise<void> {
    if (client === undefined) throw this.context.invalidClient('Authenticate as the client the token was issued to.');
    if (clientIdOf(token) !== client.credential.id) {
      throw new GatehouseError('invalid_request', { message: 'The token was not issued to this client.' });
    }
    const now = this.clock.now();
    const ttl = Math.max(1, (principal.credential.expiresAt ?? now) - now + this.context.options.clockToleranceMs);
    await this.revocations.revoke(tokenRevocationKey(principal.credential.id), now, ttl);
  }
}

/** The `client_id` claim of a token that has just been verified. */
function clientIdOf(token: string): string | undefined {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { client_id?: unknown };
  return typeof payload.client_id === 'string' ? payload.client_id : undefined;
}
