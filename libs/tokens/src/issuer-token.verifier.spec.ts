import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { GatehouseError, ManualClock, MemoryRevocationStore, type RevocationStore } from '@gatehouse/core';
import { resolveIssuersOptions } from './issuer-profile.interface.js';
import { issuerSessionRevocationKey, issuerSubjectRevocationKey } from './issuer-revocation-keys.js';
import { IssuerTokenVerifier } from './issuer-token.verifier.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const IAT = T0 / 1000;
const ISSUER_A = 'https://a.idp.example/';
const ISSUER_B = 'https://b.idp.example/';

/** A JWKS host on loopback that counts its fetches. */
class JwksHost {
  readonly keys = new Map<string, JWK[]>();
  fetches = 0;
  private server!: Server;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys.get(req.url ?? '') ?? [] }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function rsaKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const codeOf = async (attempt: Promise<unknown>): Promise<string> => {
  try {
    await attempt;
    return 'accepted';
  } catch (error) {
    if (error instanceof GatehouseError) return error.code;
    throw error;
  }
};

describe('IssuerTokenVerifier: cache and revocation', () => {
  const host = new JwksHost();
  let keyA: { privateKey: CryptoKey; jwk: JWK };
  let keyB: { privateKey: CryptoKey; jwk: JWK };
  let clock: ManualClock;
  let revocations: RevocationStore;
  let verifier: IssuerTokenVerifier;
  let signatureChecks: jest.SpiedFunction<SubtleCrypto['verify']>;

  const sign = (key: CryptoKey, iss: string, claims: JWTPayload = {}): Promise<string> =>
    new SignJWT({ iss, aud: 'api', sub: 'alice', iat: IAT, exp: IAT + 600, scope: 'read', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: iss === ISSUER_A ? 'a1' : 'b1' })
      .sign(key);
  const build = (store: RevocationStore = new MemoryRevocationStore(1_000, clock)): IssuerTokenVerifier => {
    revocations = store;
    const options = resolveIssuersOptions({
      issuers: [
        { issuer: ISSUER_A, jwksUrl: host.url('/a'), audience: 'api', clockToleranceSeconds: 30 },
        { issuer: ISSUER_B, jwksUrl: host.url('/b'), audience: 'api', clockToleranceSeconds: 30 },
      ],
      allowInsecureLoopback: true,
    });
    return new IssuerTokenVerifier(options, clock, revocations);
  };

  beforeAll(async () => {
    await host.start();
    [keyA, keyB] = await Promise.all([rsaKey('a1'), rsaKey('b1')]);
    host.keys.set('/a', [keyA.jwk]);
    host.keys.set('/b', [keyB.jwk]);
  });
  afterAll(() => host.stop());
  beforeEach(() => {
    clock = new ManualClock(T0 + 10_000);
    verifier = build();
    signatureChecks = jest.spyOn(crypto.subtle, 'verify');
  });
  afterEach(() => jest.restoreAllMocks());

  it('verifies a token once: the cached path fetches no JWKS and checks no signature', async () => {
    const token = await sign(keyA.privateKey, ISSUER_A);
    const first = await verifier.verify(token);
    const fetches = host.fetches;
    const checks = signatureChecks.mock.calls.length;
    expect(checks).toBe(1);
    for (let i = 0; i < 5; i += 1) expect(await verifier.verify(token)).toBe(first);
    expect(host.fetches).toBe(fetches);
    expect(signatureChecks.mock.calls.length).toBe(checks);
  });

  it('never caches a token whose signature fails', async () => {
    const token = await sign(keyA.privateKey, ISSUER_A, { jti: 'forged' });
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(await codeOf(verifier.verify(forged))).toBe('invalid_token');
    expect(await codeOf(verifier.verify(forged))).toBe('invalid_token');
    expect(signatureChecks.mock.calls.length).toBe(2);
  });

  it('refuses a revoked subject on the cached and the uncached path, and accepts tokens issued after', async () => {
    const cached = await sign(keyA.privateKey, ISSUER_A, { jti: 'one' });
    await verifier.verify(cached);
    await verifier.revokeSubject(ISSUER_A, 'alice');
    expect(revocations.revokedAt(issuerSubjectRevocationKey(ISSUER_A, 'alice'))).toBe(T0 + 10_000);
    expect(await codeOf(verifier.verify(cached))).toBe('token_revoked');
    expect(await codeOf(verifier.verify(await sign(keyA.privateKey, ISSUER_A, { jti: 'two' })))).toBe('token_revoked');
    // Issued in the second of the revocation: counts as before it.
    expect(await codeOf(verifier.verify(await sign(keyA.privateKey, ISSUER_A, { jti: 'three', iat: IAT + 10 })))).toBe('token_revoked');
    clock.advance(1_000);
    expect(await codeOf(verifier.verify(await sign(keyA.privateKey, ISSUER_A, { jti: 'four', iat: IAT + 11 })))).toBe('accepted');
  });

  it('keeps the revocations and cache entries of two issuers apart for the same sub', async () => {
    const fromA = await sign(keyA.privateKey, ISSUER_A);
    const fromB = await sign(keyB.privateKey, ISSUER_B);
    expect((await verifier.verify(fromA)).claims?.iss).toBe(ISSUER_A);
    expect((await verifier.verify(fromB)).claims?.iss).toBe(ISSUER_B);
    await verifier.revokeSubject(ISSUER_B, 'alice');
    expect(await codeOf(verifier.verify(fromA))).toBe('accepted');
    expect(await codeOf(verifier.verify(fromB))).toBe('token_revoked');
    // The app's own `sub:alice` is not an issuer's subject either.
    await revocations.revoke('sub:alice', clock.now(), 60_000);
    expect(await codeOf(verifier.verify(fromA))).toBe('accepted');
  });

  it('refuses a token whose sid is revoked, for that issuer only', async () => {
    const fromA = await sign(keyA.privateKey, ISSUER_A, { sid: 'idp-session-1' });
    const fromB = await sign(keyB.privateKey, ISSUER_B, { sid: 'idp-session-1' });
    await verifier.verify(fromA);
    await verifier.revokeSession(ISSUER_A, 'idp-session-1');
    expect(revocations.revokedAt(issuerSessionRevocationKey(ISSUER_A, 'idp-session-1'))).toBeDefined();
    expect(await codeOf(verifier.verify(fromA))).toBe('token_revoked');
    expect(await codeOf(verifier.verify(fromB))).toBe('accepted');
  });

  it('refuses a sid that is not a non-empty string', async () => {
    expect(await codeOf(verifier.verify(await sign(keyA.privateKey, ISSUER_A, { sid: 42 })))).toBe('invalid_token');
  });

  it('honours exp plus the clock tolerance on cached tokens, exactly as on a fresh verify', async () => {
    const token = await sign(keyA.privateKey, ISSUER_A);
    await verifier.verify(token);
    clock.set((IAT + 600 + 30) * 1000 - 1);
    expect(await codeOf(verifier.verify(token))).toBe('accepted');
    clock.set((IAT + 600 + 30) * 1000);
    expect(await codeOf(verifier.verify(token))).toBe('token_expired');
    // The expired entry is gone: a fresh verify says the same.
    const checks = signatureChecks.mock.calls.length;
    expect(await codeOf(verifier.verify(token))).toBe('token_expired');
    expect(signatureChecks.mock.calls.length).toBe(checks + 1);
    expect(await codeOf(build().verify(token))).toBe('token_expired');
  });

  it('keeps revocations as long as a token issued before them could be accepted', async () => {
    const store = new MemoryRevocationStore(1_000, clock);
    const revoke = jest.spyOn(store, 'revoke');
    verifier = build(store);
    await verifier.revokeSubject(ISSUER_A, 'alice');
    expect(revoke).toHaveBeenCalledWith('sub:https://a.idp.example/ alice', T0 + 10_000, 86_400_000 + 30_000);
    await expect(verifier.revokeSubject('https://unknown.example/', 'alice')).rejects.toThrow(TypeError);
  });

  it('answers 503 on the cached path too when the revocation list cannot be vouched for', async () => {
    const token = await sign(keyA.privateKey, ISSUER_A);
    let stale = false;
    const memory = new MemoryRevocationStore(1_000, clock);
    verifier = build({
      revoke: (key, at, ttl) => memory.revoke(key, at, ttl),
      revokedAt: (key) => {
        if (stale) throw new GatehouseError('service_unavailable', { retryAfter: 5 });
        return memory.revokedAt(key);
      },
    });
    await verifier.verify(token);
    stale = true;
    const refusal = await verifier.verify(token).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatehouseError);
    expect(refusal).toMatchObject({ code: 'service_unavailable', details: { retryAfter: 5 } });
    expect(await codeOf(verifier.verify(await sign(keyA.privateKey, ISSUER_A, { jti: 'fresh' })))).toBe('service_unavailable');
  });
});
