/**
 * Which addresses (IPv4, or IPv6 /64) an account signed in from successfully, recently. Sign-in
 * throttling exempts them from the account-wide ceiling, so strangers elsewhere cannot lock the
 * owner out. A separate port because @nestjs/throttler's storage can count but not look up.
 */
export interface KnownAddresses {
  has(account: string, address: string): Promise<boolean>;
  remember(account: string, address: string, ttlMs: number): Promise<void>;
}

/** Injection token of the `KnownAddresses` port. */
export const KnownAddresses = Symbol('gatehouse:KnownAddresses');
