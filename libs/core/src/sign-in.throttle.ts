import { Inject, Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import { addressBucket } from './client-address.js';
import { GATEHOUSE_RATE_LIMITS } from './gatehouse.constants.js';
import { KnownAddresses } from './known-addresses.interface.js';
import type { RateLimit, ResolvedRateLimitOptions } from './rate-limit-options.interface.js';
import { rateLimitedError } from './rate-limit-headers.js';
import { RateLimitStorage } from './rate-limit-storage.interface.js';
import { SecurityEvents } from './security-events.js';

/** One attempt's identity: the account (hashed email, never stored in clear) and the address bucket. */
export interface SignInAttempt {
  account: string;
  address: string;
}

/**
 * Sign-in throttling, one count for every sign-in route (token sign-in, session login, any
 * endpoint calling `SignIn.verify()`). Each attempt counts, before the password is checked, in:
 * - `sign-in-address`: the address, whatever account it tries (spraying);
 * - `sign-in-account-address`: the account from this address;
 * - `sign-in-account`: the account from every address that has not signed in to it before.
 * An address becomes known to an account when a sign-in from it succeeds. So a stranger's
 * failures from elsewhere exhaust only the account-wide ceiling for unknown addresses: the owner,
 * from an address that signed in before, keeps signing in (ASVS 5.0 6.1.1), and the stranger is
 * stopped after the ceiling whatever number of addresses they use.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    @Inject(GATEHOUSE_RATE_LIMITS) private readonly limits: ResolvedRateLimitOptions,
    @Inject(RateLimitStorage) private readonly storage: RateLimitStorage,
    @Inject(KnownAddresses) private readonly known: KnownAddresses,
    private readonly events: SecurityEvents,
  ) {}

  /** Counts an attempt; throws 429 `rate_limited` (with `Retry-After`) when any of its limits is spent. */
  async attempt(email: string, ip: string | undefined): Promise<SignInAttempt> {
    const attempt = { account: accountKey(email), address: addressBucket(ip) };
    if (!this.limits.enabled) return attempt;
    const known = await this.known.has(attempt.account, attempt.address);
    const checks: Array<[string, string, RateLimit]> = [
      ['sign-in-address', attempt.address, this.limits.signInPerAddress],
      ['sign-in-account-address', `${attempt.account}:${attempt.address}`, this.limits.signInPerAccountAndAddress],
    ];
    if (!known) checks.push(['sign-in-account', attempt.account, this.limits.signInPerAccount]);
    const records = await Promise.all(checks.map(([name, key, limit]) => this.storage.increment(`rl:${name}:${key}`, limit.ttlMs, limit.limit, limit.ttlMs, name)));
    const blocked = records.findIndex((record) => record.isBlocked);
    if (blocked < 0) return attempt;
    const [policy, , limit] = checks[blocked];
    const record = records[blocked];
    if (record.totalHits === limit.limit + 1) this.events.emit('login.throttled', { ip, policy, account: attempt.account });
    throw rateLimitedError(policy, limit.limit, limit.ttlMs, record.timeToBlockExpire);
  }

  /** A successful sign-in: its address is known to the account from now on. */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    if (!this.limits.enabled || attempt.address === 'unknown') return;
    await this.known.remember(attempt.account, attempt.address, this.limits.knownAddressTtlMs);
  }
}

/** The account an email names, as counters store it: a SHA-256 prefix of the normalised email. */
function accountKey(email: string): string {
  return hash('sha256', email.trim().toLowerCase(), 'hex').slice(0, 32);
}
