import crypto, { KeyObject, type webcrypto } from 'node:crypto';
import type { CryptoKey } from 'jose';
import type { SigningAlgorithm } from './signing-key.js';

/** The Node key of each ring key, converted once: `crypto.verify` on a `KeyObject` is synchronous. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/** What each algorithm's key must be (RFC 8037 Ed25519; RFC 7518 §3.4 P-256 with SHA-256, r‖s signatures). */
const KEY_SHAPES: Record<SigningAlgorithm, { type: string; curve?: string }> = {
  EdDSA: { type: 'ed25519' },
  ES256: { type: 'ec', curve: 'prime256v1' },
};

function keyObjectOf(alg: SigningAlgorithm, key: CryptoKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key as unknown as webcrypto.CryptoKey);
    const shape = KEY_SHAPES[alg];
    if (keyObject.type !== 'public' || keyObject.asymmetricKeyType !== shape.type || keyObject.asymmetricKeyDetails?.namedCurve !== shape.curve) {
      throw new TypeError(`A ${alg} verification needs a ${shape.type}${shape.curve ? ` ${shape.curve}` : ''} public key`);
    }
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

/**
 * Checks the signature of a compact JWS whose structure `precheckJws` accepted, synchronously,
 * with Node's `crypto.verify` (OpenSSL, the same code WebCrypto calls, without its promise and
 * thread-pool hop): Ed25519 over the signing input for `EdDSA`, ECDSA P-256/SHA-256 with a 64-byte
 * r‖s signature for `ES256`. `signingInputEnd` is the index of the token's second dot. A
 * signature of the wrong length, or any failure inside OpenSSL, is `false`.
 */
export function verifyJwsSignature(alg: SigningAlgorithm, key: CryptoKey, token: string, signingInputEnd: number): boolean {
  const keyObject = keyObjectOf(alg, key);
  // The token is ASCII (checked by the precheck's pattern), so latin1 is its exact byte string.
  const signingInput = Buffer.from(token.slice(0, signingInputEnd), 'latin1');
  const signature = Buffer.from(token.slice(signingInputEnd + 1), 'base64url');
  try {
    return alg === 'EdDSA'
      ? crypto.verify(null, signingInput, keyObject, signature)
      : crypto.verify('sha256', signingInput, { key: keyObject, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
