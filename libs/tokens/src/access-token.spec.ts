import { jest } from '@jest/globals';
import crypto, { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, importJWK, SignJWT, type JWK } from 'jose';
import { GatehouseError, ManualClock, MemoryRevocationStore } from '@gatehouse/core';
import { AccessTokenIssuer } from './access-token.issuer.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import type { TokenRejection } from './jws-precheck.js';
import { KeyRing } from './key-ring.js';
import { resolveTokensOptions, type ResolvedTokensOptions } from './resolve-tokens-options.js';
import { generateSigningKey, type SigningKeyJwk } from './signing-key.js';
import type { TokensModuleOptions } from './tokens-options.interface.js';
import { tokenRevocationKey } from './tokens.constants.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const MINUTE = 60_000;

interface Kit {
  clock: ManualClock;
  options: ResolvedTokensOptions;
  ring: KeyRing;
  revocations: MemoryRevocationStore;
  issuer: AccessTokenIssuer;
  verifier: AccessTokenVerifier;
}

async function kit(overrides: Partial<TokensModuleOptions> = {}, start = T0): Promise<Kit> {
  const clock = new ManualClock(start);
  const options = resolveTokensOptions({ issuer: 'https://auth.test', audience: 'orders-api', ...overrides });
  const ring = await KeyRing.create(options, clock);
  const revocations = new MemoryRevocationStore();
  return {
    clock,
    options,
    ring,
    revocations,
    issuer: new AccessTokenIssuer(options, ring, clock, revocations),
    verifier: new AccessTokenVerifier(options, ring, clock, revocations),
  };
}

async function refusal(result: unknown): Promise<{ code: string; reason?: string }> {
  try {
    await result;
  } catch (error) {
    if (!(error instanceof GatehouseError)) throw error;
    return { code: error.code, reason: (error.cause as TokenRejection | undefined)?.reason };
  }
  throw new Error('expected a refusal');
}

function verifyNow(verifier: AccessTokenVerifier, token: string): Promise<unknown> {
  return Promise.resolve().then(() => verifier.verify(token));
}

describe('AccessTokenIssuer', () => {
  it('signs an RFC 9068 at+jwt with kid and the documented claims', async () => {
    const { issuer, ring } = await kit();
    const { accessToken, expiresIn, jti, scope } = await issuer.issue({ subject: 'user-1', scopes: ['orders:read', 'orders:write', 'orders:read'], sessionId: 'fam-1', authTime: T0 - 5000 });
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'EdDSA', kid: ring.active().kid, typ: 'at+jwt' });
    expect(decodeJwt(accessToken)).toEqual({
      iss: 'https://auth.test',
      sub: 'user-1',
      aud: 'orders-api',
      iat: T0 / 1000,
      exp: T0 / 1000 + 600,
      jti,
      scope: 'orders:read orders:write',
      sid: 'fam-1',
      auth_time: T0 / 1000 - 5,
      client_id: 'first-party',
      kind: 'user',
    });
    expect(jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect({ expiresIn, scope }).toEqual({ expiresIn: 600, scope: 'orders:read orders:write' });
  });

  it('marks client-credentials tokens with their client_id and kind service, and refuses a service token without a client', async () => {
    const { issuer, verifier } = await kit();
    const service = await issuer.issue({ subject: 'key-1', clientId: 'key-1', kind: 'service', scopes: ['orders:read'], audience: 'reports-api', lifetimeSeconds: 300 });
    expect(decodeJwt(service.accessToken)).toMatchObject({ client_id: 'key-1', kind: 'service', aud: 'reports-api', exp: T0 / 1000 + 300 });
    await expect(issuer.issue({ subject: 'x', scopes: [], kind: 'service' })).rejects.toThrow(TypeError);
    await expect(issuer.issue({ subject: 'x', scopes: [], kind: 'admin' as never, clientId: 'k' })).rejects.toThrow(TypeError);
    await expect(issuer.issue({ subject: 'x', scopes: ['has space'] })).rejects.toThrow(TypeError);
    await expect(issuer.issue({ subject: 'x', scopes: [], lifetimeSeconds: 601 })).rejects.toThrow(TypeError);
    // reports-api is not an audience this verifier accepts.
    expect(await refusal(verifyNow(verifier, service.accessToken))).toEqual({ code: 'invalid_token', reason: 'invalid_claims' });
  });

  it('signs with ES256 when configured, and the verifier pins that key to ES256', async () => {
    const { issuer, verifier } = await kit({ algorithm: 'ES256' });
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [] });
    expect(decodeProtectedHeader(accessToken).alg).toBe('ES256');
    await expect(verifyNow(verifier, accessToken)).resolves.toMatchObject({ subject: 'user-1' });
  });
});

describe('AccessTokenVerifier', () => {
  it('user tokens carry client_id (RFC 9068 §2.2): the configured first-party client, or the one given', async () => {
    const { issuer, verifier } = await kit({ clientId: 'web-app' });
    const user = await issuer.issue({ subject: 'user-1', scopes: ['a'] });
    expect(decodeJwt(user.accessToken)).toMatchObject({ client_id: 'web-app', kind: 'user' });
    const viaPartner = await issuer.issue({ subject: 'user-1', scopes: ['a'], clientId: 'partner-app' });
    expect(decodeJwt(viaPartner.accessToken)).toMatchObject({ client_id: 'partner-app', kind: 'user' });
    // The kind comes from the kind claim, not from whether client_id is there.
    await expect(verifyNow(verifier, viaPartner.accessToken)).resolves.toMatchObject({ kind: 'user', subject: 'user-1' });
  });

  it('reads tokens minted before the kind claim as before: client_id meant a service token', async () => {
    const { ring, verifier } = await kit();
    const key = ring.active();
    const now = T0 / 1000;
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ scope: 'a', jti: `j-${Object.keys(claims).join('-') || 'none'}`, ...claims })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setIssuer('https://auth.test')
        .setAudience('orders-api')
        .setSubject('someone')
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(key.privateKey);
    await expect(verifyNow(verifier, await sign({ client_id: 'key-1' }))).resolves.toMatchObject({ kind: 'service' });
    await expect(verifyNow(verifier, await sign({}))).resolves.toMatchObject({ kind: 'user' });
    expect(await refusal(verifyNow(verifier, await sign({ client_id: 'k', kind: 'admin' })))).toEqual({ code: 'invalid_token', reason: 'invalid_claims' });
  });

  it('revokes one service token by its jti, and only that one', async () => {
    const { issuer, verifier, revocations } = await kit();
    const first = await issuer.issue({ subject: 'owner', clientId: 'key-1', kind: 'service', scopes: ['a'] });
    const second = await issuer.issue({ subject: 'owner', clientId: 'key-1', kind: 'service', scopes: ['a'] });
    await verifyNow(verifier, first.accessToken);
    await revocations.revoke(tokenRevocationKey(first.jti), T0, 10 * MINUTE);
    expect(await refusal(verifyNow(verifier, first.accessToken))).toMatchObject({ code: 'token_revoked' });
    await expect(verifyNow(verifier, second.accessToken)).resolves.toMatchObject({ kind: 'service' });
  });

  it('turns a token into a frozen principal: kind user, or service when the kind claim says so', async () => {
    const { issuer, verifier } = await kit();
    const user = await issuer.issue({ subject: 'user-1', scopes: ['a'], sessionId: 'fam-1' });
    const principal = (await verifier.verify(user.accessToken)) as object;
    expect(principal).toEqual({
      kind: 'user',
      subject: 'user-1',
      scopes: ['a'],
      credential: { mechanism: 'jwt', id: user.jti, sessionId: 'fam-1', expiresAt: T0 + 10 * MINUTE },
      claims: expect.objectContaining({ sub: 'user-1', jti: user.jti, scope: 'a', sid: 'fam-1', exp: (T0 + 10 * MINUTE) / 1000 }),
    });
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen((principal as { claims: object }).claims)).toBe(true);
    const service = await issuer.issue({ subject: 'key-1', clientId: 'key-1', kind: 'service', scopes: ['a'] });
    await expect(verifyNow(verifier, service.accessToken)).resolves.toMatchObject({ kind: 'service', subject: 'key-1' });
  });

  it('verifies a first-seen token of the ring synchronously, caches it, and caches only a valid one', async () => {
    const { issuer, verifier } = await kit();
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [] });
    const verify = jest.spyOn(crypto, 'verify');
    try {
      expect(verifier.verify(accessToken)).toMatchObject({ subject: 'user-1' });
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verifier.verify(accessToken)).toMatchObject({ subject: 'user-1' });
      expect(verify).toHaveBeenCalledTimes(1);
      const forged = `${accessToken.slice(0, -4)}AAAA`;
      expect(() => verifier.verify(forged)).toThrow(GatehouseError);
      expect(() => verifier.verify(forged)).toThrow(GatehouseError);
      // A refused token is never cached: each attempt costs one signature check, and no more.
      expect(verify).toHaveBeenCalledTimes(3);
    } finally {
      verify.mockRestore();
    }
  });

  it("returns a first-seen token's refusals from check() (the guard's path) instead of throwing them", async () => {
    const { issuer, verifier, ring } = await kit();
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [] });
    const payload = accessToken.split('.')[1] as string;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signature = Buffer.alloc(64, 7).toString('base64url');
    const refusals = {
      verification_failed: `${accessToken.slice(0, -4)}AAAA`,
      unknown_kid: `${b64({ alg: 'EdDSA', typ: 'at+jwt', kid: 'not-ours' })}.${payload}.${signature}`,
      algorithm_not_allowed: `${b64({ alg: 'ES256', typ: 'at+jwt', kid: ring.active().kid })}.${payload}.${signature}`,
      malformed: 'garbage',
    };
    for (const [reason, token] of Object.entries(refusals)) {
      let checked: unknown;
      expect(() => (checked = verifier.check(token))).not.toThrow();
      expect(checked).toBeInstanceOf(GatehouseError);
      expect({ code: (checked as GatehouseError).code, reason: ((checked as GatehouseError).cause as TokenRejection).reason }).toEqual({ code: 'invalid_token', reason });
      // verify() throws the same refusal.
      expect(await refusal(verifyNow(verifier, token))).toEqual({ code: 'invalid_token', reason });
    }
    // A claim check refused first-seen is returned too, with its own code.
    const later = await kit();
    const expired = (await later.issuer.issue({ subject: 'user-2', scopes: [] })).accessToken;
    later.clock.advance(60 * MINUTE);
    let checked: unknown;
    expect(() => (checked = later.verifier.check(expired))).not.toThrow();
    expect((checked as GatehouseError).code).toBe('token_expired');
  });

  it('expires tokens at exp + clock tolerance, on the cached path too', async () => {
    const { issuer, verifier, clock, options, ring } = await kit({ clockToleranceMs: 30_000 });
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [] });
    await verifier.verify(accessToken);
    clock.set(T0 + 10 * MINUTE + 29_999);
    expect(verifier.verify(accessToken)).toMatchObject({ subject: 'user-1' });
    clock.set(T0 + 10 * MINUTE + 30_000);
    expect(await refusal(verifyNow(verifier, accessToken))).toEqual({ code: 'token_expired', reason: undefined });
    // The same instant on a verifier that never saw the token: jose agrees.
    const fresh = new AccessTokenVerifier(options, ring, clock, new MemoryRevocationStore());
    expect((await refusal(verifyNow(fresh, accessToken))).code).toBe('token_expired');
  });

  it('refuses a token issued in the future beyond the tolerance', async () => {
    const { issuer, verifier, clock } = await kit();
    clock.set(T0 + 61_000);
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [] });
    clock.set(T0);
    expect(await refusal(verifyNow(verifier, accessToken))).toEqual({ code: 'invalid_token', reason: 'invalid_claims' });
  });

  it('checks revocation of the sid on every call, cached or not', async () => {
    const { issuer, verifier, revocations, clock } = await kit();
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [], sessionId: 'fam-1' });
    const other = await issuer.issue({ subject: 'user-1', scopes: [], sessionId: 'fam-2' });
    await verifier.verify(accessToken);
    await revocations.revoke('sid:fam-1', clock.now(), 11 * MINUTE);
    expect(await refusal(verifyNow(verifier, accessToken))).toEqual({ code: 'token_revoked', reason: undefined });
    await expect(verifyNow(verifier, other.accessToken)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('refuses every token of a subject issued at or before a sub: revocation, including the same second; the next one issued is accepted', async () => {
    const { issuer, verifier, revocations, clock } = await kit();
    clock.set(T0 + 100);
    const before = await issuer.issue({ subject: 'user-1', scopes: [] });
    await verifier.verify(before.accessToken);
    clock.set(T0 + 400);
    await revocations.revoke('sub:user-1', clock.now(), 11 * MINUTE);
    clock.set(T0 + 700); // same whole second as the revocation
    const after = await issuer.issue({ subject: 'user-1', scopes: [] });
    expect(decodeJwt(after.accessToken).iat).toBe(T0 / 1000 + 1);
    expect(await refusal(verifyNow(verifier, before.accessToken))).toEqual({ code: 'token_revoked', reason: undefined });
    await expect(verifyNow(verifier, after.accessToken)).resolves.toMatchObject({ subject: 'user-1' });
    const unrelated = await issuer.issue({ subject: 'user-2', scopes: [] });
    await expect(verifyNow(verifier, unrelated.accessToken)).resolves.toMatchObject({ subject: 'user-2' });
  });

  it('keeps verifying tokens of a rotated-out key until they have expired, then drops the key', async () => {
    const { issuer, verifier, ring, clock, options } = await kit();
    const oldKid = ring.active().kid;
    const old = await issuer.issue({ subject: 'user-1', scopes: [] });
    clock.advance(MINUTE);
    const newKid = await ring.rotate();
    const fresh = await issuer.issue({ subject: 'user-1', scopes: [] });
    expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(newKid);
    expect(ring.jwks().keys.map((key) => key.kid).sort()).toEqual([oldKid, newKid].sort());
    await expect(verifyNow(verifier, old.accessToken)).resolves.toMatchObject({ subject: 'user-1' });
    // Retired key verifies until lifetime + tolerance after the rotation…
    clock.set(T0 + MINUTE + options.accessTokenLifetimeMs + options.clockToleranceMs - 1);
    expect(ring.find(oldKid)).toBeDefined();
    clock.advance(1);
    expect(ring.find(oldKid)).toBeUndefined();
    expect(ring.jwks().keys.map((key) => key.kid)).toEqual([newKid]);
    // …by which time its tokens have expired anyway; and a token it signed is not verifiable any more.
    const stale = new AccessTokenVerifier(options, ring, clock, new MemoryRevocationStore());
    expect(await refusal(verifyNow(stale, old.accessToken))).toEqual({ code: 'invalid_token', reason: 'unknown_kid' });
  });

  it('forgets cached tokens of a removed (compromised) key at once', async () => {
    const { issuer, verifier, ring } = await kit();
    const oldKid = ring.active().kid;
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [] });
    await verifier.verify(accessToken);
    await ring.rotate();
    ring.remove(oldKid);
    expect(await refusal(verifyNow(verifier, accessToken))).toEqual({ code: 'invalid_token', reason: 'unknown_kid' });
  });

  it('refuses a token signed by another key that claims our kid', async () => {
    const ours = await kit();
    const theirs = await kit({ keys: [{ ...(await generateSigningKey()), kid: ours.ring.active().kid }] });
    const { accessToken } = await theirs.issuer.issue({ subject: 'admin', scopes: ['*'] });
    expect(await refusal(verifyNow(ours.verifier, accessToken))).toEqual({ code: 'invalid_token', reason: 'verification_failed' });
  });

  describe('algorithm confusion with our own kid', () => {
    const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
    const claims = (now: number) => b64(JSON.stringify({ iss: 'https://auth.test', aud: 'orders-api', sub: 'admin', iat: now, exp: now + 600, jti: 'j', scope: '*' }));

    it.each(['spki-pem', 'spki-der', 'raw-x', 'jwk-json'])('HS256 keyed with the public key (%s) is refused before any HMAC', async (form) => {
      const { verifier, ring } = await kit();
      const jwk = ring.active().publicJwk;
      const publicKey = createPublicKey({ key: jwk as unknown as JsonWebKey, format: 'jwk' });
      const secret = {
        'spki-pem': publicKey.export({ type: 'spki', format: 'pem' }),
        'spki-der': publicKey.export({ type: 'spki', format: 'der' }),
        'raw-x': Buffer.from(jwk.x, 'base64url'),
        'jwk-json': JSON.stringify(jwk),
      }[form] as string | Buffer;
      const input = `${b64(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid }))}.${claims(T0 / 1000)}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect(await refusal(verifyNow(verifier, token))).toEqual({ code: 'invalid_token', reason: 'algorithm_not_allowed' });
    });

    it.each(['none', 'None', 'Ed25519', 'ES256'])('alg %s with our kid is refused', async (alg) => {
      const { verifier, ring } = await kit();
      const token = `${b64(JSON.stringify({ alg, typ: 'at+jwt', kid: ring.active().kid }))}.${claims(T0 / 1000)}.${b64('x'.repeat(64))}`;
      expect(await refusal(verifyNow(verifier, token))).toEqual({ code: 'invalid_token', reason: 'algorithm_not_allowed' });
    });
  });

  it('refuses the malleated (high-S) twin of a revoked ES256 token too: revocation is keyed by sid, not by token bytes', async () => {
    const { issuer, verifier, revocations, clock } = await kit({ algorithm: 'ES256' });
    const { accessToken } = await issuer.issue({ subject: 'user-1', scopes: [], sessionId: 'fam-1' });
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
    const twin = `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]).toString('base64url')}`;
    expect(twin).not.toBe(accessToken);
    await expect(verifyNow(verifier, twin)).resolves.toMatchObject({ subject: 'user-1' });
    await revocations.revoke('sid:fam-1', clock.now(), 11 * MINUTE);
    expect((await refusal(verifyNow(verifier, accessToken))).code).toBe('token_revoked');
    expect((await refusal(verifyNow(verifier, twin))).code).toBe('token_revoked');
  });

  it('verifies against public-only keys (verify-only), which cannot sign', async () => {
    const signer = await kit();
    const publicJwk = { ...(await exportJWK(await importJWK(signer.ring.active().publicJwk as unknown as JWK, 'EdDSA'))), kid: signer.ring.active().kid } as SigningKeyJwk;
    const other = await generateSigningKey();
    const verifying = await kit({ keys: [other, publicJwk] });
    const { accessToken } = await signer.issuer.issue({ subject: 'user-1', scopes: [] });
    await expect(verifyNow(verifying.verifier, accessToken)).resolves.toMatchObject({ subject: 'user-1' });
    expect(verifying.ring.active().kid).toBe(other.kid);
  });
});
