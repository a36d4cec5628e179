import { generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SignJWT, compactVerify, exportJWK, importJWK, jwtVerify } from 'jose';
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
