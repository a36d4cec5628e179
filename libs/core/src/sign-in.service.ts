import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GatehouseAccounts, type SignInContext, type VerifiedAccount } from './accounts.port.js';
import { GatehouseError } from './gatehouse.error.js';
import { SecurityEvents } from './security-events.js';
import { SignInThrottle } from './sign-in.throttle.js';

/**
 * Every password sign-in goes through here, whichever endpoint takes it (token sign-in, session
 * login): one place for the accounts port, sign-in throttling and the `login.*` events.
 * The app provides `GatehouseAccounts` anywhere in its module tree.
 */
@Injectable()
export class SignIn {
  private accounts: GatehouseAccounts | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly events: SecurityEvents,
    private readonly throttle: SignInThrottle,
  ) {}

  /**
   * The account for these credentials; 401 `invalid_credentials` otherwise (the same answer for
   * unknown emails). Throttled first (`SignInThrottle`): 429 `rate_limited` with `Retry-After`
   * once the account, the account from this address, or this address has spent its attempts.
   */
  async verify(credentials: { email: string; password: string }, context: SignInContext): Promise<VerifiedAccount> {
    const attempt = await this.throttle.attempt(credentials.email, context.ip);
    const account = await this.port().verifyCredentials(credentials, context);
    if (!account) {
      this.events.emit('login.failed', { ip: context.ip });
      throw new GatehouseError('invalid_credentials');
    }
    await this.throttle.succeeded(attempt);
    return account;
  }

  /** The app's `GatehouseAccounts`, resolved once from wherever the app registered it. */
  port(): GatehouseAccounts {
    this.accounts ??= this.moduleRef.get<GatehouseAccounts>(GatehouseAccounts, { strict: false });
    return this.accounts;
  }
}
