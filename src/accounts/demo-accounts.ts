import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GatehouseError, type GatehouseAccounts, type PasswordChangeOutcome, type VerifiedAccount } from '@gatehouse/core';
import { Account } from './account.entity.js';
import { AccountsService } from './accounts.service.js';
import { PasswordHasher } from './password-hasher.js';

/** The demo's accounts as gatehouse's `GatehouseAccounts` port sees them (used by `SignIn.verify()`). */
@Injectable()
export class DemoAccounts implements GatehouseAccounts {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly hasher: PasswordHasher,
    private readonly service: AccountsService,
  ) {}

  async verifyCredentials({ email, password }: { email: string; password: string }): Promise<VerifiedAccount | undefined> {
    const account = await this.accounts.findOneBy({ email: email.trim().toLowerCase() });
    // Verified against a dummy hash when the account is unknown: both answers take as long.
    const ok = await this.hasher.verify(account?.passwordHash, password);
    return account && ok ? { subject: account.id, scopes: account.scopes.split(' ').filter(Boolean) } : undefined;
  }

  async changePassword(subject: string, current: string, next: string): Promise<PasswordChangeOutcome> {
    try {
      await this.service.changePassword(subject, current, next);
      return 'changed';
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'current_password_incorrect') return 'current_password_incorrect';
      throw error;
    }
  }

  async scopesOf(subject: string): Promise<readonly string[] | undefined> {
    return (await this.service.findById(subject))?.scopes;
  }
}
