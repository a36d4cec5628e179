import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { algorithmOf, generateSigningKey, type SigningAlgorithm, type SigningKeyJwk } from './signing-key.js';

/**
 * What a key file holds: the keys (private JWKs, or public ones that only verify), which one signs,
 * and when each retired key stops verifying (epoch ms). Plain JWK arrays and JWKS `{keys}` files
 * are read too.
 *
 * @example { "active": "k2", "keys": [{ "kty": "OKP", "crv": "Ed25519", "x": "…", "d": "…", "kid": "k2" }, …], "retiring": { "k1": 1767225600000 } }
 */
export interface KeyFileContents {
  active?: string;
  keys: SigningKeyJwk[];
  retiring?: Record<string, number>;
}

/** Reads a key file; throws a TypeError naming the file when it is not one. */
export function readKeyFile(path: string): KeyFileContents {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TypeError(`Cannot read signing keys from ${path}: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return { keys: parsed as SigningKeyJwk[] };
  const candidate = parsed as Partial<KeyFileContents> | null;
  if (!candidate || typeof candidate !== 'object' || !Array.isArray(candidate.keys)) {
    throw new TypeError(`Signing key file ${path} must hold a JWK array or an object with "keys"`);
  }
  const retiring: Record<string, number> = {};
  for (const [kid, until] of Object.entries(candidate.retiring ?? {})) {
    if (typeof until !== 'number' || !Number.isFinite(until)) throw new TypeError(`Signing key file ${path}: retiring.${kid} must be epoch milliseconds`);
    retiring[kid] = until;
  }
  return { keys: candidate.keys, ...(typeof candidate.active === 'string' ? { active: candidate.active } : {}), retiring };
}

/** Writes a key file readable by its owner only, atomically (a crash never leaves half a file). */
export function writeKeyFile(path: string, contents: KeyFileContents): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * Reads the key file at `path`, creating it with one generated key on first use: how a
 * single-node deployment keeps tokens valid across restarts without managing keys by hand.
 *
 * @example TokensModule.forRoot({ issuer, audience, keysFile: ensureKeyFile('./data/signing-keys.json') })
 */
export async function ensureKeyFile(path: string, algorithm: SigningAlgorithm = 'EdDSA'): Promise<string> {
  if (!existsSync(path)) {
    const key = await generateSigningKey(algorithm);
    createExclusively(path, `${JSON.stringify({ active: key.kid, keys: [key], retiring: {} }, null, 2)}\n`);
  }
  return path;
}

/** What `rotateKeyFile` did. */
export interface KeyFileRotation {
  /** The kid of the new signing key. */
  active: string;
  /** The kid of the key it replaced, now verify-only, if there was one. */
  retired?: string;
  /** Kids of keys whose retirement had passed, removed from the file. */
  dropped: string[];
}

/**
 * Rotates the signing key in a key file, for deployments that read their keys at start: a new
 * key (of the current key's algorithm unless `algorithm` says otherwise) becomes the active one,
 * the previous active key verifies only until `retireAt`, and keys whose retirement has passed are
 * removed. Instances pick the change up when they restart; keep `retireAt` at least one token
 * lifetime after the last of them has restarted, so no token they signed is refused early.
 *
 * @example await rotateKeyFile('./data/signing-keys.json', { now: Date.now(), retireAt: Date.now() + 20 * 60_000 })
 */
export async function rotateKeyFile(
  path: string,
  options: { now: number; retireAt: number; algorithm?: SigningAlgorithm },
): Promise<KeyFileRotation> {
  if (options.retireAt <= options.now) throw new TypeError('retireAt must lie in the future: tokens of the old key are still in use');
  const file = readKeyFile(path);
  const previous = file.active ?? file.keys.find((key) => key.d !== undefined && !(key.kid && file.retiring?.[key.kid]))?.kid;
  const previousKey = file.keys.find((key) => key.kid === previous);
  const key = await generateSigningKey(options.algorithm ?? (previousKey ? algorithmOf(previousKey) : 'EdDSA'));
  const retiring: Record<string, number> = {};
  const dropped: string[] = [];
  for (const [kid, until] of Object.entries(file.retiring ?? {})) {
    if (until > options.now) retiring[kid] = until;
    else dropped.push(kid);
  }
  if (previous) retiring[previous] = options.retireAt;
  const keys = file.keys.filter((existing) => !existing.kid || !dropped.includes(existing.kid));
  writeKeyFile(path, { active: key.kid as string, keys: [...keys, key], retiring });
  return { active: key.kid as string, ...(previous ? { retired: previous } : {}), dropped };
}

/**
 * Reads a 256-bit secret (base64url) from `path`, creating it on first use: e.g. the
 * `refreshSecret` every instance sharing a data folder, and every restart, must agree on.
 *
 * @example TokensModule.forRoot({ …, refreshSecret: ensureSecretFile('./data/refresh-secret') })
 */
export function ensureSecretFile(path: string): string {
  if (!existsSync(path)) createExclusively(path, `${randomBytes(32).toString('base64url')}\n`);
  return readFileSync(path, 'utf8').trim();
}

/** Creates `path` readable by its owner only, unless it exists: two instances starting at once agree on the first file. */
function createExclusively(path: string, contents: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.new`;
  writeFileSync(temporary, contents, { mode: 0o600 });
  try {
    // link() fails when the target exists, where rename() would replace it.
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}
