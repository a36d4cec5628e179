import { generateKeyPairSync, KeyObject, verify as cryptoVerify, type webcrypto } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SignJWT, compactVerify, exportJWK, importJWK, jwtVerify } from 'jose';
import { ManualClock, MemoryRevocationStore, type Principal } from '@gatehouse/core';
import { AccessTokenIssuer, AccessTokenVerifier, KeyRing, resolveTokensOptions, type SigningAlgorithm } from '@gatehouse/tokens';
import { formatNumber, markdownTable } from './bench-table.js';

/** One sequential micro-benchmark: the mean cost of one call. */
export interface MicroResult {
  name: string;
  iterations: number;
  microsPerOp: number;
}

async function time(name: string, iterations: number, operation: () => unknown): Promise<MicroResult> {
  // Warm up the JIT and any lazy key import before timing.
  for (let i = 0; i < Math.max(100, iterations / 10); i += 1) await operation();
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) await operation();
  return { name, iterations, microsPerOp: ((performance.now() - started) * 1000) / iterations };
}

/**
 * What one access-token signature check costs outside any server: Node's Ed25519 `crypto.verify`
 * on the JWS signing input, against jose's `compactVerify` (JWS only) and `jwtVerify` (JWS plus
 * the claim checks an access token needs), one call at a time. The server's cache-miss cost is
 * this plus parsing and the revocation check.
 */
export async function verifyMicroBench(iterations: number): Promise<MicroResult[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const verifyKey = await importJWK(await exportJWK(publicKey), 'EdDSA');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ scope: 'orders:read orders:write', sid: 'family-1' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' })
    .setIssuer('http://127.0.0.1')
    .setAudience('gatehouse-demo')
    .setSubject('user-1')
    .setJti('jti-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
  const lastDot = token.lastIndexOf('.');
  const signingInput = Buffer.from(token.slice(0, lastDot), 'ascii');
  const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
  if (!cryptoVerify(null, signingInput, publicKey, signature)) throw new Error('The micro-benchmark token does not verify');

  const claims = { algorithms: ['EdDSA'], issuer: 'http://127.0.0.1', audience: 'gatehouse-demo', typ: 'at+jwt' };
  return [
    await time('node:crypto verify (Ed25519, signing input only)', iterations, () => cryptoVerify(null, signingInput, publicKey, signature)),
    await time('jose compactVerify (EdDSA, CryptoKey)', iterations, () => compactVerify(token, verifyKey, { algorithms: ['EdDSA'] })),
    await time('jose jwtVerify (EdDSA + iss/aud/typ/exp, CryptoKey)', iterations, () => jwtVerify(token, verifyKey, claims)),
    await time('jose jwtVerify (EdDSA + iss/aud/typ/exp, KeyObject)', iterations, () => jwtVerify(token, publicKey, claims)),
  ];
}

export function microTable(results: readonly MicroResult[]): string {
  return markdownTable(
    ['operation (sequential)', 'iterations', 'µs/op', 'ops/s'],
    results.map((r) => [r.name, formatNumber(r.iterations), formatNumber(r.microsPerOp, 1), formatNumber(1e6 / r.microsPerOp)]),
    ['left', 'right', 'right', 'right'],
  );
}

/** `verifier.verify` on a token of its own ring, which must answer synchronously (no remote key set). */
export function verifySync(verifier: AccessTokenVerifier, token: string): Principal {
  const result = verifier.verify(token);
  if (result instanceof Promise) {
    result.catch(() => undefined);
    throw new Error('AccessTokenVerifier answered a token of its own ring asynchronously');
  }
  return result;
}

/** The verifier's first-seen and cached cost of one token against one raw `crypto.verify`, per algorithm, in one process. */
export interface ColdPathResult {
  alg: SigningAlgorithm;
  tokens: number;
  rawVerifyMicros: number;
  coldMicros: number;
  cachedMicros: number;
}

/**
 * `AccessTokenVerifier.verify` in process on `count` distinct tokens of its own ring (each seen
 * once: a cache miss), the same tokens again (cache hits), and `crypto.verify` of each token's
 * signature alone, interleaved in chunks of 100 so that a slowed-down stretch hits all three.
 */
export async function coldPathMicroBench(alg: SigningAlgorithm, count: number): Promise<ColdPathResult> {
  const options = resolveTokensOptions({ issuer: 'http://127.0.0.1', audience: 'gatehouse-demo', algorithm: alg, verifiedTokenCacheSize: count * 2 });
  const clock = new ManualClock(Date.now());
  const ring = await KeyRing.create(options, clock);
  const revocations = new MemoryRevocationStore();
  const issuer = new AccessTokenIssuer(options, ring, clock, revocations);
  const verifier = new AccessTokenVerifier(options, ring, clock, revocations);
  const publicKey = KeyObject.from(ring.active().publicKey as unknown as webcrypto.CryptoKey);
  const tokens: string[] = [];
  for (let i = 0; i < count + 200; i += 1) {
    const { accessToken } = await issuer.issue({ subject: `user-${i}`, scopes: ['orders:read', 'orders:write'], sessionId: `family-${i}` });
    tokens.push(accessToken);
  }
  const raw = tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return { input: Buffer.from(token.slice(0, dot), 'ascii'), signature: Buffer.from(token.slice(dot + 1), 'base64url') };
  });
  const rawVerify = (i: number) =>
    alg === 'EdDSA'
      ? cryptoVerify(null, raw[i]!.input, publicKey, raw[i]!.signature)
      : cryptoVerify('sha256', raw[i]!.input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw[i]!.signature);
  // Warm-up on the 200 extra tokens: JIT, key conversion, cache.
  for (let i = count; i < count + 200; i += 1) {
    rawVerify(i);
    verifySync(verifier, tokens[i]!);
    verifySync(verifier, tokens[i]!);
  }
  let rawMicros = 0;
  let coldMicros = 0;
  let cachedMicros = 0;
  for (let start = 0; start < count; start += 100) {
    const end = Math.min(count, start + 100);
    let t = performance.now();
    for (let i = start; i < end; i += 1) if (!rawVerify(i)) throw new Error('The micro-benchmark token does not verify');
    rawMicros += (performance.now() - t) * 1000;
    t = performance.now();
    for (let i = start; i < end; i += 1) verifySync(verifier, tokens[i]!);
    coldMicros += (performance.now() - t) * 1000;
    t = performance.now();
    for (let i = start; i < end; i += 1) verifySync(verifier, tokens[i]!);
    cachedMicros += (performance.now() - t) * 1000;
  }
  return { alg, tokens: count, rawVerifyMicros: rawMicros / count, coldMicros: coldMicros / count, cachedMicros: cachedMicros / count };
}

export function coldPathTable(results: readonly ColdPathResult[]): string {
  return markdownTable(
    ['algorithm', 'tokens', 'crypto.verify µs', 'verifier, first seen µs', 'verifier, cached µs', 'first seen − cached, × one verify'],
    results.map((r) => [
      r.alg,
      formatNumber(r.tokens),
      formatNumber(r.rawVerifyMicros, 1),
      formatNumber(r.coldMicros, 1),
      formatNumber(r.cachedMicros, 2),
      formatNumber((r.coldMicros - r.cachedMicros) / r.rawVerifyMicros, 2),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}
