import { Controller, Get, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CurrentPrincipal, type Principal } from '@gatehouse/core';
import { AccessTokenIssuer } from '@gatehouse/tokens';

/** Where the bench server mints access tokens for the cold-path rows. */
export const TOKEN_MINT_PATH = '/bench/access-tokens';

/**
 * Mints up to 5 000 access tokens like the caller's own (same subject, scopes, `sid` and
 * `auth_time`, a fresh `jti` each) with the demo's `AccessTokenIssuer`: distinct tokens of the
 * same size in a fraction of what as many refreshes cost. Authenticated by the caller's token;
 * mounted by the bench server only.
 */
@Controller()
export class TokenMintController {
  constructor(private readonly modules: ModuleRef) {}

  @Get(TOKEN_MINT_PATH)
  async mint(@CurrentPrincipal() principal: Principal, @Query('count') count: string): Promise<{ tokens: string[] }> {
    const wanted = Math.min(5_000, Math.max(1, Number.parseInt(count, 10) || 1));
    const issuer = this.modules.get(AccessTokenIssuer, { strict: false });
    const { subject, scopes, credential } = principal;
    const tokens: string[] = [];
    for (let i = 0; i < wanted; i += 1) {
      const { accessToken } = await issuer.issue({
        subject,
        scopes,
        ...(credential.sessionId ? { sessionId: credential.sessionId } : {}),
        ...(credential.authTime ? { authTime: credential.authTime } : {}),
      });
      tokens.push(accessToken);
    }
    return { tokens };
  }
}
