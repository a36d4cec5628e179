import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type Repository } from 'typeorm';
import { Clock, GatehouseError, SecurityEvents, serializeWrite } from '@gatehouse/core';
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

/** Registration, password checks and password changes for the demo's users. */
@Injectable()
export class AccountsService {
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

  /** The account for these credentials; 401 `invalid_credentials` otherwise (same answer for unknown emails). */
  async verifyCredentials(email: string, password: string): Promise<AccountView> {
    const account = await this.accounts.findOneBy({ email: email.trim().toLowerCase() });
    const ok = await this.hasher.verify(account?.passwordHash, password);
    if (!account || !ok) {
      this.events.emit('login.failed', { subject: account?.id });
      throw new GatehouseError('invalid_credentials');
    }
    return toView(account);
  }

  async findById(id: string): Promise<AccountView | undefined> {
    const account = await this.accounts.findOneBy({ id });
    return account ? toView(account) : undefined;
  }

  /**
   * Changes the password after checking the current one; the caller revokes sessions and tokens.
   * A wrong current password is a 403, not a 401: the caller is signed in and must stay so.
   */
  async changePassword(id: string, current: string, next: string): Promise<AccountView> {
    const account = await this.accounts.findOneBy({ id });
    if (!account) throw new GatehouseError('invalid_credentials');
    if (!(await this.hasher.verify(account.passwordHash, current))) {
      this.events.emit('password_change.failed', { subject: id });
      throw new GatehouseError('current_password_incorrect');
    }
    account.passwordHash = await this.hasher.hash(next);
    account.passwordChangedAt = this.clock.now();
    await serializeWrite(this.accounts.manager.connection, () => this.accounts.save(account));
    this.events.emit('account.password_changed', { subject: id });
    return toView(account);
  }
}
