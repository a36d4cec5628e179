/** What the app knows about the person signing in: who they are and what they may do. */
export interface VerifiedAccount {
  /** The account's stable id; becomes the principal's `subject`. */
  subject: string;
  /** The scopes the account holds; sign-in grants these (or a subset the client asks for). */
  scopes: readonly string[];
  /** Optional roles, carried to the principal. */
  roles?: readonly string[];
}

/** The request facts a sign-in check may use (for its own throttling or audit); never a secret. */
export interface SignInContext {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** The outcome of a password change the app performed. */
export type PasswordChangeOutcome = 'changed' | 'current_password_incorrect';

/**
 * The app's accounts, seen by gatehouse's sign-in, session and password endpoints. gatehouse
 * never owns the user table: the app answers these three questions, the way passport-local's
 * `validate` does.
 *
 * @example
 * ```ts
 * { provide: GatehouseAccounts, useExisting: AccountsService }
 * ```
 */
export interface GatehouseAccounts {
  /**
   * The account for these credentials, or `undefined` — the same answer for an unknown email and a
   * wrong password, so the endpoint cannot tell them apart either. Hash with argon2id or scrypt.
   */
  verifyCredentials(credentials: { email: string; password: string }, context: SignInContext): Promise<VerifiedAccount | undefined>;
  /** Checks `current`, then stores `next`. gatehouse ends the other sessions and tokens afterwards. */
  changePassword(subject: string, current: string, next: string): Promise<PasswordChangeOutcome>;
  /** The scopes `subject` may hold now (refresh narrows to these), or `undefined` when the account is gone. */
  scopesOf(subject: string): Promise<readonly string[] | undefined>;
}

/** Injection token of the `GatehouseAccounts` port. */
export const GatehouseAccounts = Symbol('gatehouse:GatehouseAccounts');
