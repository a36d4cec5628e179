import { Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { GatehouseAccounts, PasswordChangeOutcome, VerifiedAccount } from '@gatehouse/core';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

interface Account {
  subject: string;
  email: string;
  scopes: string[];
  salt: Buffer;
  hash: Buffer;
}

/**
 * The app's accounts, as gatehouse sees them (the `GatehouseAccounts` port). A real app reads its
 * user table here; this one keeps a single account in memory whose password comes from
 * `EXAMPLE_PASSWORD`, hashed with scrypt.
 */
@Injectable()
export class AccountsService implements GatehouseAccounts {
  private readonly accounts = new Map<string, Account>();
  private readonly ready: Promise<void>;

  constructor() {
    this.ready = this.add('user-1', 'ada@example.com', process.env.EXAMPLE_PASSWORD ?? '', ['orders:read', 'orders:write']);
  }

  async verifyCredentials(credentials: { email: string; password: string }): Promise<VerifiedAccount | undefined> {
    await this.ready;
    const account = this.accounts.get(credentials.email.toLowerCase());
    // An unknown email costs one hash too, so the answer time does not tell which one was wrong.
    const hash = await scryptAsync(credentials.password, account?.salt ?? randomBytes(16), 32);
    if (!account || account.hash.length === 0 || !timingSafeEqual(hash, account.hash)) return undefined;
    return { subject: account.subject, scopes: account.scopes };
  }

  async changePassword(): Promise<PasswordChangeOutcome> {
    return 'current_password_incorrect';
  }

  async scopesOf(subject: string): Promise<readonly string[] | undefined> {
    return [...this.accounts.values()].find((account) => account.subject === subject)?.scopes;
  }

  private async add(subject: string, email: string, password: string, scopes: string[]): Promise<void> {
    const salt = randomBytes(16);
    // No password configured: the account exists but no password matches it.
    const hash = password === '' ? Buffer.alloc(0) : await scryptAsync(password, salt, 32);
    this.accounts.set(email, { subject, email, scopes, salt, hash });
  }
}
