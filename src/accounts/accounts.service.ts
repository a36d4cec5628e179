import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type Repository } from 'typeorm';
import { Clock, GatehouseError, SecurityEvents, serializeWrite, type GatehouseAccounts, type PasswordChangeOutcome, type VerifiedAccount } from '@gatehouse/core';
import { Account } from './account.entity.js';
import { PasswordHasher } from './password-hasher.js';

/** The scopes every registered demo user holds. */
export const USER_SCOPES = ['orders:read', 'orders:write', 'api-keys:manage'] as const;

/** The public view of an account. */
export interface AccountView {
  id: string;
  email: string;
  scopes: string[];
  passwordChangedAt: number;
}

function toView(account: Account): AccountView {
  return { id: account.id, email: account.email, scopes: account.scopes.split(' ').filter(Boolean), passwordChangedAt: account.passwordChangedAt };
}

/** Registration, password checks and password changes for the demo's users: the app's `GatehouseAccounts`. */
@Injectable()
export class AccountsService implements GatehouseAccounts {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly hasher: PasswordHasher,
    private readonly events: SecurityEvents,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Creates an account; 409 `conflict` when the email is taken. */
  async register(email: string, password: string): Promise<{ id: string }> {
    const normalized = email.trim().toLowerCase();
    if (await this.accounts.existsBy({ email: normalized })) throw new GatehouseError('conflict', { message: 'That email is already registered.' });
    const now = this.clock.now();
    const account = this.accounts.create({
      id: randomUUID(),
      email: normalized,
      passwordHash: await this.hasher.hash(password),
      scopes: USER_SCOPES.join(' '),
      createdAt: now,
      passwordChangedAt: now,
    });
    try {
      await serializeWrite(this.accounts.manager.connection, () => this.accounts.insert(account));
    } catch (error) {
      // Two registrations raced past the existence check: the unique index decides.
      if (error instanceof QueryFailedError) throw new GatehouseError('conflict', { message: 'That email is already registered.' });
      throw error;
    }
    this.events.emit('account.registered', { subject: account.id });
    return { id: account.id };
  }

  /** The account for these credentials, or `undefined` (the same answer for unknown emails; the hash is checked either way). */
  async verifyCredentials({ email, password }: { email: string; password: string }): Promise<VerifiedAccount | undefined> {
    const account = await this.accounts.findOneBy({ email: email.trim().toLowerCase() });
    const ok = await this.hasher.verify(account?.passwordHash, password);
    if (!account || !ok) return undefined;
    return { subject: account.id, scopes: toView(account).scopes };
  }

  /** The scopes the account holds now, or `undefined` when it is gone. */
  async scopesOf(subject: string): Promise<readonly string[] | undefined> {
    return (await this.findById(subject))?.scopes;
  }

  async findById(id: string): Promise<AccountView | undefined> {
    const account = await this.accounts.findOneBy({ id });
    return account ? toView(account) : undefined;
  }

  /**
   * Changes the password after checking the current one; the caller revokes sessions and tokens.
   * A wrong current password is an outcome, not an error: the caller answers 403 and stays signed in.
   */
  async changePassword(id: string, current: string, next: string): Promise<PasswordChangeOutcome> {
    const account = await this.accounts.findOneBy({ id });
    if (!account) throw new GatehouseError('invalid_credentials');
    if (!(await this.hasher.verify(account.passwordHash, current))) {
      this.events.emit('password_change.failed', { subject: id });
      return 'current_password_incorrect';
    }
    account.passwordHash = await this.hasher.hash(next);
    account.passwordChangedAt = this.clock.now();
    await serializeWrite(this.accounts.manager.connection, () => this.accounts.save(account));
    this.events.emit('account.password_changed', { subject: id });
    return 'changed';
  }
}
