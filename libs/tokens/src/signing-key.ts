import { randomBytes, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** The signature algorithms gatehouse signs and verifies with: Ed25519 (default) and P-256 ECDSA. */
export type SigningAlgorithm = 'EdDSA' | 'ES256';

/** A signing key as configured: an Ed25519 (`OKP`) or P-256 (`EC`) JWK, private (`d`) or public only. */
export interface SigningKeyJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

/** The public half of a signing key as published in the JWKS (RFC 7517). */
export interface PublicSigningJwk {
  kty: string;
  crv: string;
  x: string;
  y?: string;
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
}

/** One key of the ring: its id, the one algorithm it is used with, and its key material. */
export interface SigningKey {
  readonly kid: string;
  /** The only algorithm this key signs or verifies with (RFC 8725 §3.1). */
  readonly alg: SigningAlgorithm;
  readonly publicKey: CryptoKey;
  /** Absent on verify-only keys configured without their private part. */
  readonly privateKey: CryptoKey | undefined;
  readonly publicJwk: PublicSigningJwk;
  /** The private JWK, kept so rotation can be persisted; undefined for public-only keys. */
  readonly privateJwk: SigningKeyJwk | undefined;
}

const KEY_TYPES: Record<SigningAlgorithm, { kty: string; crv: string }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
};

/** The algorithm a JWK's type and curve call for, or a TypeError naming what is wrong with it. */
export function algorithmOf(jwk: SigningKeyJwk): SigningAlgorithm {
  const alg = (Object.keys(KEY_TYPES) as SigningAlgorithm[]).find((name) => KEY_TYPES[name].kty === jwk.kty && KEY_TYPES[name].crv === jwk.crv);
  if (!alg) throw new TypeError(`Unsupported signing key (kty ${String(jwk.kty)}, crv ${String(jwk.crv)}): use an Ed25519 (OKP) or P-256 (EC) JWK`);
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw new TypeError(`Signing key ${String(jwk.kid ?? '')} declares alg ${String(jwk.alg)} but its ${jwk.kty}/${jwk.crv} key is used with ${alg} only`);
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new TypeError(`Signing key ${String(jwk.kid ?? '')} has use "${String(jwk.use)}"; expected "sig"`);
  return alg;
}

function publicMembers(jwk: SigningKeyJwk, kid: string, alg: SigningAlgorithm): PublicSigningJwk {
  if (typeof jwk.x !== 'string' || (alg === 'ES256' && typeof jwk.y !== 'string')) throw new TypeError(`Signing key ${kid} lacks its public coordinates`);
  return { kty: jwk.kty, crv: jwk.crv as string, x: jwk.x, ...(alg === 'ES256' ? { y: jwk.y as string } : {}), kid, alg, use: 'sig' };
}

/**
 * Imports a configured JWK. A key without `kid` gets its RFC 7638 thumbprint; a private key must
 * match its public coordinates (checked once by signing and verifying a random probe).
 */
export async function importSigningKey(jwk: SigningKeyJwk): Promise<SigningKey> {
  const alg = algorithmOf(jwk);
  const publicJwk0 = publicMembers(jwk, jwk.kid ?? '', alg);
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk0 as JWK));
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128) throw new TypeError('A signing key kid must be 1–128 characters');
  const publicJwk = { ...publicJwk0, kid };
  const material = async (members: JWK): Promise<CryptoKey> => {
    try {
      return (await importJWK(members, alg)) as CryptoKey;
    } catch (error) {
      throw new TypeError(`Signing key ${kid}: invalid key material (${(error as Error).message})`);
    }
  };
  const publicKey = await material({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, ...(publicJwk.y ? { y: publicJwk.y } : {}) });
  let privateKey: CryptoKey | undefined;
  let privateJwk: SigningKeyJwk | undefined;
  if (typeof jwk.d === 'string') {
    privateJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}), d: jwk.d, kid, alg, use: 'sig' };
    privateKey = await material(privateJwk as JWK);
    if (!(await pairMatches(alg, privateKey, publicKey))) throw new TypeError(`Signing key ${kid}: the private part does not match x/y`);
  }
  return { kid, alg, publicKey, privateKey, publicJwk, privateJwk };
}

/** Signs a random probe with the private key and verifies it with the public key. */
async function pairMatches(alg: SigningAlgorithm, privateKey: CryptoKey, publicKey: CryptoKey): Promise<boolean> {
  const params = alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  const probe = randomBytes(32);
  const signature = await webcrypto.subtle.sign(params, privateKey, probe);
  return webcrypto.subtle.verify(params, publicKey, signature, probe);
}

/** Generates a fresh signing key (extractable, so the ring can persist it) with its thumbprint as `kid`. */
export async function generateSigningKey(alg: SigningAlgorithm = 'EdDSA'): Promise<SigningKeyJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const jwk = (await exportJWK(privateKey)) as SigningKeyJwk;
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) } as JWK);
  return { ...jwk, kid, alg, use: 'sig' };
}
