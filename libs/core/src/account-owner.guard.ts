import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GatehouseError } from './gatehouse.error.js';
import { httpRequestOf } from './gatehouse-request.interface.js';
import { missingScopes } from './principal.guards.js';
import type { Principal } from './principal.interface.js';
import { SignIn } from './sign-in.service.js';

/**
 * Guards account security routes (devices, sign-out elsewhere, password, API-key management):
 * only the account holder, through a session or a user access token, gets in. API keys and
 * service tokens get 403 `user_principal_required`; a user token narrowed to fewer scopes than
 * the account holds gets 403 `narrowed_credential` (a token minted for one job must not hand over
 * the account). Runs after `GatehouseGuard`.
 *
 * @example @UseGuards(AccountOwnerGuard) @Get('sessions') list() {}
 */
@Injectable()
export class AccountOwnerGuard implements CanActivate {
  constructor(protected readonly signIn: SignIn) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = httpRequestOf(context).principal;
    if (!principal) throw new GatehouseError('credentials_missing');
    await this.assertOwner(principal);
    return true;
  }

  /** Throws unless `principal` may manage its account; override to loosen or tighten the rule. */
  protected async assertOwner(principal: Principal): Promise<void> {
    if (principal.kind !== 'user') throw new GatehouseError('user_principal_required', { mechanism: principal.credential.mechanism });
    const accountScopes = await this.signIn.port().scopesOf(principal.subject);
    // An account that is gone manages nothing; its credentials end with it.
    if (accountScopes === undefined) throw new GatehouseError('forbidden');
    if (missingScopes(principal, accountScopes).length > 0) throw new GatehouseError('narrowed_credential', { mechanism: principal.credential.mechanism });
  }
}
