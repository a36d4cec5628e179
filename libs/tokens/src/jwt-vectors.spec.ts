import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CompactSign, compactVerify, importJWK, jwtVerify, type JWK } from 'jose';
import { GatehouseError, ManualClock, MemoryRevocationStore } from '@gatehouse/core';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { TokenRejection, type TokenRejectionReason } from './jws-precheck.js';
import { KeyRing } from './key-ring.js';
import { resolveTokensOptions } from './resolve-tokens-options.js';

interface Vector {
  id: string;
  expect: string;
  token?: string;
}

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/jwt-vectors.json', import.meta.url), 'utf8')) as {
  keys: Record<string, JWK>;
  vectors: Vector[];
};
const NOW = 1_750_000_000;
/** Vectors carrying a literal token (`overlong` only describes how to generate one: built below). */
const tokenVectors = fixture.vectors.filter((v) => v.token && !v.token.startsWith('GENERATE'));
const vector = (id: string): string => {
  const found = fixture.vectors.find((candidate) => candidate.id === id);
  if (!found?.token) throw new Error(`no vector ${id}`);
  return found.token;
};

/**
 * Expected outcome of every fixture token against our verifier (keys: the RFC 8037 key as kid
 * `rfc8037`; issuer and audience as in `valid-at`), with the reason it is refused, and whether
 * jose's jwtVerify alone — same key, algorithms ['EdDSA'], iss/aud/typ/required claims — already
 * refuses it (defence in depth: which layer catches what).
 */
const EXPECTED: Record<string, { verifier: 'accept' | TokenRejectionReason | 'token_expired'; jose: 'accept' | 'reject' }> = {
  'rfc8037-a4': { verifier: 'malformed', jose: 'reject' }, // JWS, not a JWT: payload is not JSON
  'rfc7515-a3': { verifier: 'missing_kid', jose: 'reject' }, // ES256 key we do not hold, expired in 2011
  'valid-at': { verifier: 'accept', jose: 'accept' },
  'a4-sigbit0': { verifier: 'malformed', jose: 'reject' },
  'a4-sigbit63': { verifier: 'malformed', jose: 'reject' },
  'a4-payloadbit': { verifier: 'malformed', jose: 'reject' },
  'a4-lastchar-padbits': { verifier: 'malformed', jose: 'reject' },
  'a4-sig-stripped-dot': { verifier: 'malformed', jose: 'reject' },
  'a4-sig-stripped-2part': { verifier: 'malformed', jose: 'reject' },
  'a4-ed25519-S-plus-L': { verifier: 'malformed', jose: 'reject' },
  'alg-none': { verifier: 'malformed', jose: 'reject' }, // empty signature segment
  'alg-None': { verifier: 'malformed', jose: 'reject' },
  'alg-NONE': { verifier: 'malformed', jose: 'reject' },
  'alg-nOnE': { verifier: 'malformed', jose: 'reject' },
  'alg-none-keep-sig': { verifier: 'malformed', jose: 'reject' },
  'alg-missing': { verifier: 'malformed', jose: 'reject' },
  'hs256-key-spki-pem': { verifier: 'missing_kid', jose: 'reject' },
  'hs256-key-spki-der': { verifier: 'missing_kid', jose: 'reject' },
  'hs256-key-raw-x': { verifier: 'missing_kid', jose: 'reject' },
  'hs256-key-jwk-json': { verifier: 'missing_kid', jose: 'reject' },
  'alg-Ed25519-same-key': { verifier: 'algorithm_not_allowed', jose: 'reject' },
  'alg-ES256-on-ed-key': { verifier: 'algorithm_not_allowed', jose: 'reject' },
  'embedded-jwk': { verifier: 'embedded_key', jose: 'reject' },
  'jku-injection': { verifier: 'embedded_key', jose: 'reject' },
  'x5u-injection': { verifier: 'embedded_key', jose: 'reject' },
  'kid-traversal-devnull': { verifier: 'unknown_kid', jose: 'reject' },
  'kid-traversal-nullbyte': { verifier: 'unknown_kid', jose: 'reject' },
  'kid-sqli': { verifier: 'unknown_kid', jose: 'reject' },
  'kid-unknown': { verifier: 'unknown_kid', jose: 'accept' }, // jose, handed the right key, has no kid rule: the ring does
  'crit-unknown': { verifier: 'crit', jose: 'reject' },
  'crit-registered-name': { verifier: 'crit', jose: 'reject' },
  'crit-empty': { verifier: 'crit', jose: 'reject' },
  'typ-wrong': { verifier: 'wrong_type', jose: 'reject' },
  'dup-header-alg': { verifier: 'duplicate_member', jose: 'accept' }, // JSON.parse keeps the last "alg": only our scan refuses it
  'dup-claim-sub': { verifier: 'duplicate_member', jose: 'reject' },
  'exp-missing': { verifier: 'invalid_claims', jose: 'reject' },
  'exp-past': { verifier: 'token_expired', jose: 'reject' },
  'exp-string': { verifier: 'invalid_claims', jose: 'reject' },
  'nbf-future': { verifier: 'invalid_claims', jose: 'reject' },
  'iat-future': { verifier: 'invalid_claims', jose: 'reject' },
  'aud-wrong': { verifier: 'invalid_claims', jose: 'reject' },
  'aud-missing': { verifier: 'invalid_claims', jose: 'reject' },
  'iss-wrong': { verifier: 'invalid_claims', jose: 'reject' },
  'iss-array': { verifier: 'invalid_claims', jose: 'reject' },
  'payload-not-object': { verifier: 'malformed', jose: 'reject' },
  'es256-psychic-p1363-zero': { verifier: 'missing_kid', jose: 'reject' },
  'es256-psychic-der': { verifier: 'missing_kid', jose: 'reject' },
  'es256-malleated-high-s': { verifier: 'missing_kid', jose: 'reject' },
};

async function makeVerifier(options: { jwksUrl?: string } = {}): Promise<AccessTokenVerifier> {
  const resolved = resolveTokensOptions({
    issuer: 'https://auth.example',
    audience: 'api.example',
    ...(options.jwksUrl ? { jwksUrl: options.jwksUrl } : { keys: [{ ...fixture.keys.RFC8037_PRIV, kid: 'rfc8037' } as never] }),
  });
  const clock = new ManualClock(NOW * 1000);
  return new AccessTokenVerifier(resolved, await KeyRing.create(resolved, clock), clock, new MemoryRevocationStore());
}

async function outcome(verifier: AccessTokenVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'accept';
  } catch (error) {
    if (!(error instanceof GatehouseError)) throw error;
    if (error.code === 'token_expired') return 'token_expired';
    expect(error.code).toBe('invalid_token');
    expect(error.status).toBe(401);
    return (error.cause as TokenRejection).reason;
  }
}

describe('RFC vectors (JWS level, compactVerify)', () => {
  it('RFC 8037 A.4: the Ed25519 signature verifies under the A.2 public key and yields the payload', async () => {
    const key = await importJWK(fixture.keys.RFC8037_PUB, 'EdDSA');
    const { payload, protectedHeader } = await compactVerify(vector('rfc8037-a4'), key, { algorithms: ['EdDSA'] });
    expect(protectedHeader).toEqual({ alg: 'EdDSA' });
    expect(new TextDecoder().decode(payload)).toBe('Example of Ed25519 signing');
  });

  it('RFC 8037 A.4: signing the A.4 input with the A.1 key reproduces the signature byte for byte (Ed25519 is deterministic)', async () => {
    const key = await importJWK(fixture.keys.RFC8037_PRIV, 'EdDSA');
    const jws = await new CompactSign(new TextEncoder().encode('Example of Ed25519 signing')).setProtectedHeader({ alg: 'EdDSA' }).sign(key);
    expect(jws).toBe(vector('rfc8037-a4'));
  });

  it('RFC 7515 A.3: the ES256 signature verifies under the A.3 public key', async () => {
    const key = await importJWK(fixture.keys.RFC7515_A3_PUB, 'ES256');
    const { payload } = await compactVerify(vector('rfc7515-a3'), key, { algorithms: ['ES256'] });
    expect(new TextDecoder().decode(payload)).toContain('"iss":"joe"');
  });

  it.each(['a4-sigbit0', 'a4-sigbit63', 'a4-payloadbit', 'a4-ed25519-S-plus-L', 'a4-sig-stripped-dot', 'a4-sig-stripped-2part', 'alg-none-keep-sig'])(
    'compactVerify refuses %s under the A.2 key',
    async (id) => {
      const key = await importJWK(fixture.keys.RFC8037_PUB, 'EdDSA');
      await expect(compactVerify(vector(id), key, { algorithms: ['EdDSA'] })).rejects.toThrow();
    },
  );

  it('a4-lastchar-padbits decodes to the same bytes (lenient base64url), so it is no one-bit test: compactVerify accepts it', async () => {
    const key = await importJWK(fixture.keys.RFC8037_PUB, 'EdDSA');
    await expect(compactVerify(vector('a4-lastchar-padbits'), key, { algorithms: ['EdDSA'] })).resolves.toBeDefined();
  });

  it('ES256 psychic signatures (CVE-2022-21449) are refused; the high-S twin of A.3 verifies (ECDSA is malleable)', async () => {
    const key = await importJWK(fixture.keys.RFC7515_A3_PUB, 'ES256');
    await expect(compactVerify(vector('es256-psychic-p1363-zero'), key, { algorithms: ['ES256'] })).rejects.toThrow();
    await expect(compactVerify(vector('es256-psychic-der'), key, { algorithms: ['ES256'] })).rejects.toThrow();
    await expect(compactVerify(vector('es256-malleated-high-s'), key, { algorithms: ['ES256'] })).resolves.toBeDefined();
  });

  it('pinning algorithms to [EdDSA] matters: the Ed25519-labelled token verifies under jose when Ed25519 is allowed', async () => {
    const key = await importJWK(fixture.keys.RFC8037_PUB, 'Ed25519');
    await expect(compactVerify(vector('alg-Ed25519-same-key'), key)).resolves.toBeDefined();
    const pinned = await importJWK(fixture.keys.RFC8037_PUB, 'EdDSA');
    await expect(compactVerify(vector('alg-Ed25519-same-key'), pinned, { algorithms: ['EdDSA'] })).rejects.toThrow();
  });
});

describe('every token of test/fixtures/jwt-vectors.json against AccessTokenVerifier', () => {
  let verifier: AccessTokenVerifier;
  beforeAll(async () => {
    verifier = await makeVerifier();
  });

  it('covers every vector of the fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(tokenVectors.map((v) => v.id).sort());
  });

  it.each(tokenVectors.map((v) => [v.id, v.token as string] as const))('%s', async (id, token) => {
    expect(await outcome(verifier, token)).toBe(EXPECTED[id]?.verifier);
  });

  it.each(tokenVectors.map((v) => [v.id, v.token as string] as const))(
    'jose alone, same policy: %s',
    async (id, token) => {
      const key = await importJWK(fixture.keys.RFC8037_PUB, 'EdDSA');
      const verdict = await jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        issuer: 'https://auth.example',
        audience: 'api.example',
        typ: 'at+jwt',
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'scope'],
        clockTolerance: 30,
        maxTokenAge: 900,
        currentDate: new Date(NOW * 1000),
      }).then(
        () => 'accept',
        () => 'reject',
      );
      expect(verdict).toBe(EXPECTED[id]?.jose);
    },
  );

  it('valid-at becomes the expected principal', async () => {
    expect(await verifier.verify(vector('valid-at'))).toEqual({
      kind: 'user',
      subject: 'user-1',
      scopes: ['read'],
      credential: { mechanism: 'jwt', id: 'jti-0001', expiresAt: 1_750_000_900_000 },
      claims: expect.objectContaining({ sub: 'user-1', jti: 'jti-0001', scope: 'read', exp: 1_750_000_900 }),
    });
  });

  it('overlong (1 MiB of claims, validly signed) is refused before anything is parsed', async () => {
    const key = await importJWK(fixture.keys.RFC8037_PRIV, 'EdDSA');
    const claims = { iss: 'https://auth.example', aud: 'api.example', sub: 'user-1', iat: NOW, exp: NOW + 900, jti: 'j', scope: 'read', pad: 'A'.repeat(1 << 20) };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'rfc8037' })
      .sign(key);
    const parse = jest.spyOn(JSON, 'parse');
    const from = jest.spyOn(Buffer, 'from');
    try {
      expect(await outcome(verifier, token)).toBe('too_long');
      expect(parse).not.toHaveBeenCalled();
      expect(from).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
      from.mockRestore();
    }
  });

  it.each(['jku-injection', 'x5u-injection', 'embedded-jwk'])('%s makes no outbound request, locally or in resource-server mode', async (id) => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in this test'));
    try {
      expect(await outcome(verifier, vector(id))).toBe('embedded_key');
      const remote = await makeVerifier({ jwksUrl: 'https://issuer.invalid/.well-known/jwks.json' });
      expect(await outcome(remote, vector(id))).toBe('embedded_key');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
