import { GatehouseConfigurationError, type Clock } from '@gatehouse/core';
import type { CryptoKey } from 'jose';
import { readKeyFile, type KeyFileContents } from './key-file.js';
import type { ResolvedTokensOptions } from './resolve-tokens-options.js';
import { generateSigningKey, importSigningKey, type PublicSigningJwk, type SigningAlgorithm, type SigningKey, type SigningKeyJwk } from './signing-key.js';

/** A JSON Web Key Set of public signing keys (RFC 7517 §5). */
export interface JwksDocument {
  keys: PublicSigningJwk[];
}

/**
 * The signing keys: one active key signs; every other key verifies only — configured extra keys
 * for as long as they are configured, keys retired by `rotate()` until every token they signed
 * has expired. Keys come only from configuration (or generation); a token never supplies one.
 *
 * Rotation across instances works in two steps: publish the new key (configured, not active) so
 * every verifier knows it, then make it active. `rotate()` does both at once for one instance.
 */
export class KeyRing {
  private readonly keys = new Map<string, SigningKey>();
  /** Retired keys: kid → epoch ms until which they still verify. */
  private readonly retiring = new Map<string, number>();
  private activeKid: string | undefined;
  private readonly listeners = new Set<(removedKid: string | undefined) => void>();

  private constructor(
    private readonly clock: Clock,
    private readonly retirementMs: number,
    private readonly algorithm: SigningAlgorithm,
  ) {}

  /** Loads the configured keys (or, with none and no JWKS URL, generates an in-memory key). */
  static async create(options: ResolvedTokensOptions, clock: Clock): Promise<KeyRing> {
    const ring = new KeyRing(clock, options.accessTokenLifetimeMs + options.clockToleranceMs, options.algorithm);
    if (options.jwksUrl) return ring;
    const file: KeyFileContents = options.keysFile ? readKeyFile(options.keysFile) : { keys: [] };
    const jwks: SigningKeyJwk[] = [...file.keys, ...options.keys];
    if (jwks.length === 0) jwks.push(await generateSigningKey(options.algorithm));
    for (const jwk of jwks) {
      const key = await importSigningKey(jwk);
      if (ring.keys.has(key.kid)) throw new GatehouseConfigurationError('TokensModule', 'keys', `two signing keys share the kid "${key.kid}"`);
      ring.keys.set(key.kid, key);
    }
    const now = clock.now();
    for (const [kid, until] of Object.entries(file.retiring ?? {})) {
      if (until <= now) ring.keys.delete(kid);
      else if (ring.keys.has(kid)) ring.retiring.set(kid, until);
    }
    const active = options.activeKid ?? file.active ?? [...ring.keys.values()].find((key) => key.privateKey && !ring.retiring.has(key.kid))?.kid;
    if (!active || !ring.keys.get(active)?.privateKey) {
      throw active
        ? new GatehouseConfigurationError('TokensModule', 'activeKid', `the active signing key "${active}" is not configured with its private part`)
        : new GatehouseConfigurationError('TokensModule', 'keys', 'no private signing key is configured');
    }
    if (ring.retiring.has(active)) throw new GatehouseConfigurationError('TokensModule', 'activeKid', `the active signing key "${active}" is marked as retiring`);
    ring.activeKid = active;
    return ring;
  }

  /** True when this ring can sign (false for resource servers). */
  get canSign(): boolean {
    return this.activeKid !== undefined;
  }

  /** The key that signs new tokens. */
  active(): SigningKey & { privateKey: CryptoKey } {
    const key = this.activeKid === undefined ? undefined : this.keys.get(this.activeKid);
    if (!key?.privateKey) throw new TypeError('This key ring has no signing key (resource-server mode)');
    return key as SigningKey & { privateKey: CryptoKey };
  }

  /** The key with this id, if it may still verify; never a key named only by the token. */
  find(kid: string): SigningKey | undefined {
    const key = this.keys.get(kid);
    if (!key) return undefined;
    const until = this.retiring.get(kid);
    if (until !== undefined && until <= this.clock.now()) {
      this.drop(kid);
      return undefined;
    }
    return key;
  }

  /** Every key that may still verify, public parts only: the document served at `/.well-known/jwks.json`. */
  jwks(): JwksDocument {
    const keys: PublicSigningJwk[] = [];
    for (const kid of [...this.keys.keys()]) {
      const key = this.find(kid);
      if (key) keys.push(key.publicJwk);
    }
    return { keys };
  }

  /**
   * Makes a new key (given, or generated with the configured algorithm) the active one; the
   * previous active key verifies only, until every token it signed has expired. Returns its kid.
   */
  async rotate(jwk?: SigningKeyJwk): Promise<string> {
    const key = await importSigningKey(jwk ?? (await generateSigningKey(this.algorithm)));
    if (!key.privateKey) throw new TypeError('The new active key needs its private part');
    if (this.keys.has(key.kid)) throw new TypeError(`A signing key with kid "${key.kid}" is already in the ring`);
    const previous = this.activeKid;
    this.keys.set(key.kid, key);
    this.activeKid = key.kid;
    if (previous !== undefined) this.retiring.set(previous, this.clock.now() + this.retirementMs);
    this.notify(undefined);
    return key.kid;
  }

  /** Removes a key at once (e.g. a compromised one): tokens it signed stop verifying now. */
  remove(kid: string): boolean {
    if (kid === this.activeKid) throw new TypeError('Rotate to a new key before removing the active one');
    return this.drop(kid);
  }

  /** The ring as a key file (private JWKs included): persist it after `rotate()` with `writeKeyFile`. */
  snapshot(): KeyFileContents {
    const keys: SigningKeyJwk[] = [];
    for (const key of this.keys.values()) keys.push(key.privateJwk ?? { ...key.publicJwk });
    return { ...(this.activeKid ? { active: this.activeKid } : {}), keys, retiring: Object.fromEntries(this.retiring) };
  }

  /** Calls `listener` after every change; `removedKid` names a key that stopped verifying. */
  onChange(listener: (removedKid: string | undefined) => void): void {
    this.listeners.add(listener);
  }

  private drop(kid: string): boolean {
    const existed = this.keys.delete(kid);
    this.retiring.delete(kid);
    if (existed) this.notify(kid);
    return existed;
  }

  private notify(removedKid: string | undefined): void {
    for (const listener of this.listeners) listener(removedKid);
  }
}
