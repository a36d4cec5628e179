import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { jest } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, exportSPKI, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { CurrentPrincipal, GatehouseConfigurationError, GatehouseError, GatehouseModule, ManualClock, MemoryRevocationStore, Scopes, type Principal, type RevocationStore } from '@gatehouse/core';
import { AccessTokenIssuer, IssuerTokenVerifier, IssuersModule, TokensConfigurationError, TokensModule, type IssuerProfile } from '@gatehouse/tokens';
import { resolveIssuersOptions } from '@gatehouse/tokens/testing';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';

interface IdpFixture {
  header: { alg: string; typ: string; kid: string };
  payload: JWTPayload & { iss: string; iat: number };
}
const fixture = (name: string): IdpFixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/identity-providers/${name}.json`, import.meta.url), 'utf8')) as IdpFixture;
const AUTH0 = fixture('auth0');
const KEYCLOAK = fixture('keycloak');
const ENTRA = fixture('entra-id');

/** A local JWKS host: one key set per provider path, and a count of fetches. */
class JwksHost {
  readonly keys = new Map<string, JWK[]>();
  readonly hits = new Map<string, number>();
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const keys = this.keys.get(path);
      res.writeHead(keys ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: keys ?? [] }));
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

interface Signer {
  privateKey: CryptoKey;
  publicJwk: JWK;
  spki: string;
}

async function signer(alg: 'RS256' | 'PS256' | 'ES256', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, spki: await exportSPKI(publicKey) };
}

function sign(key: CryptoKey, header: Record<string, unknown>, payload: JWTPayload): Promise<string> {
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
}

@Controller()
class ApiController {
  @Get('me') me(@CurrentPrincipal() principal: Principal) {
    return { kind: principal.kind, subject: principal.subject, scopes: principal.scopes, roles: principal.roles ?? null, iss: principal.claims?.iss };
  }
  @Scopes('write:messages') @Get('messages/write') write() { return { ok: true }; }
}

describe.each(ADAPTERS)('third-party issuers: Auth0, Keycloak and Entra ID tokens (%s)', (adapter) => {
  const host = new JwksHost();
  const clock = new ManualClock();
  let app: INestApplication;
  let auth0: Signer;
  let auth0Next: Signer;
  let keycloak: Signer;
  let entra: Signer;
  let now = Date.now();
  const http = () => request(app.getHttpServer());
  const at = (fx: IdpFixture, seconds = 10) => clock.set((fx.payload.iat + seconds) * 1000);
  const bearer = (token: string) => http().get('/me').set('Authorization', `Bearer ${token}`);

  const profiles = (): IssuerProfile[] => [
    { issuer: AUTH0.payload.iss, jwksUrl: host.url('/auth0'), audience: 'https://test-server/api', types: ['at+jwt'], scopeClaim: 'permissions', algorithms: ['RS256'] },
    { issuer: KEYCLOAK.payload.iss, jwksUrl: host.url('/keycloak'), audience: 'account', types: ['JWT'], requireJti: true, rolesClaim: 'realm_access.roles', algorithms: ['PS256', 'RS256'], maxLifetimeSeconds: 600 },
    { issuer: ENTRA.payload.iss, jwksUrl: host.url('/entra'), audience: '6e74172b-be56-4843-9ff4-e66a39bb12e3', scopeClaim: 'scp', types: ['JWT'], maxLifetimeSeconds: 7_200 },
    { issuer: 'https://down.example/', jwksUrl: 'http://127.0.0.1:9/jwks', audience: 'api', types: ['JWT'] },
  ];

  beforeAll(async () => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    await host.start();
    [auth0, auth0Next, keycloak, entra] = await Promise.all([
      signer('RS256', AUTH0.header.kid),
      signer('RS256', 'auth0-key-2'),
      signer('RS256', KEYCLOAK.header.kid),
      signer('RS256', ENTRA.header.kid),
    ]);
    host.keys.set('/auth0', [auth0.publicJwk]);
    host.keys.set('/keycloak', [keycloak.publicJwk]);
    host.keys.set('/entra', [entra.publicJwk]);
    app = await createTinyApp(adapter, {
      imports: [
        GatehouseModule.forRoot({ clock, defaultMechanisms: ['jwt'] }),
        IssuersModule.forRoot({ issuers: profiles(), allowInsecureLoopback: true, jwksTimeoutMs: 500 }),
      ],
      controllers: [ApiController],
    });
  }, 30_000);
  afterAll(async () => {
    await app.close();
    await host.stop();
    jest.restoreAllMocks();
  });

  it('accepts an Auth0 RFC 9068 token, scopes from permissions', async () => {
    at(AUTH0);
    const response = await bearer(await sign(auth0.privateKey, AUTH0.header, AUTH0.payload)).expect(200);
    expect(response.body).toEqual({ kind: 'user', subject: 'auth0|6553da60a54af58e29493993', scopes: ['read:messages', 'write:messages'], roles: null, iss: AUTH0.payload.iss });
  });

  it('accepts a Keycloak token, scopes from scope and roles from realm_access.roles', async () => {
    at(KEYCLOAK);
    const response = await bearer(await sign(keycloak.privateKey, KEYCLOAK.header, KEYCLOAK.payload)).expect(200);
    expect(response.body).toMatchObject({ kind: 'user', subject: KEYCLOAK.payload.sub, scopes: ['email', 'profile'], roles: ['offline_access', 'default-roles', 'uma_authorization'] });
  });

  it('accepts an Entra ID v2.0 token, scopes from scp, and enforces them', async () => {
    at(ENTRA);
    const token = await sign(entra.privateKey, ENTRA.header, ENTRA.payload);
    const response = await bearer(token).expect(200);
    expect(response.body).toMatchObject({ subject: ENTRA.payload.sub, scopes: ['access_as_user'] });
    const refused = await http().get('/messages/write').set('Authorization', `Bearer ${token}`).expect(403);
    expect(refused.body.code).toBe('insufficient_scope');
  });

  it.each([
    ['another audience', AUTH0, { aud: 'https://other-api' }, {}],
    ['a wrong typ for the profile (Auth0 allows only at+jwt)', AUTH0, {}, { typ: 'JWT' }],
    ['a lifetime beyond the issuer bound', KEYCLOAK, { exp: KEYCLOAK.payload.iat + 3_600 }, {}],
    ['no jti where the profile requires one', KEYCLOAK, { jti: undefined }, {}],
    ['an unknown issuer', ENTRA, { iss: 'https://login.microsoftonline.com/another-tenant/v2.0' }, {}],
    ['a scope claim of the wrong shape', ENTRA, { scp: { read: true } }, {}],
  ])('refuses %s with 401 invalid_token', async (_label, fx, claims, header) => {
    const key = fx === AUTH0 ? auth0 : fx === KEYCLOAK ? keycloak : entra;
    at(fx);
    const payload = Object.fromEntries(Object.entries({ ...fx.payload, ...claims }).filter(([, value]) => value !== undefined));
    const response = await bearer(await sign(key.privateKey, { ...fx.header, ...header }, payload)).expect(401);
    expect(response.body.code).toBe('invalid_token');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_token"');
  });

  it('answers an expired token with token_expired, inside the clock tolerance with 200', async () => {
    const token = await sign(entra.privateKey, ENTRA.header, ENTRA.payload);
    at(ENTRA, ENTRA.payload.exp! - ENTRA.payload.iat + 59);
    await bearer(token).expect(200);
    at(ENTRA, ENTRA.payload.exp! - ENTRA.payload.iat + 61);
    expect((await bearer(token).expect(401)).body.code).toBe('token_expired');
  });

  describe('algorithm confusion', () => {
    it('refuses alg none', async () => {
      at(AUTH0);
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const token = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(AUTH0.payload)}.`;
      expect((await bearer(token).expect(401)).body.code).toBe('invalid_token');
    });

    it('refuses HS256 keyed with the issuer public key', async () => {
      at(AUTH0);
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const input = `${encode({ alg: 'HS256', typ: 'at+jwt', kid: AUTH0.header.kid })}.${encode(AUTH0.payload)}`;
      const mac = createHmac('sha256', auth0.spki).update(input).digest('base64url');
      expect((await bearer(`${input}.${mac}`).expect(401)).body.code).toBe('invalid_token');
    });

    it("refuses one issuer's key for another issuer's token, even with the other issuer's kid", async () => {
      at(KEYCLOAK);
      const forged = await sign(auth0.privateKey, KEYCLOAK.header, KEYCLOAK.payload);
      expect((await bearer(forged).expect(401)).body.code).toBe('invalid_token');
      const keycloakTokenAsAuth0 = await sign(keycloak.privateKey, AUTH0.header, { ...AUTH0.payload });
      at(AUTH0);
      expect((await bearer(keycloakTokenAsAuth0).expect(401)).body.code).toBe('invalid_token');
    });

    it('refuses an algorithm the issuer profile does not list (PS256 at Auth0)', async () => {
      at(AUTH0);
      const ps = await signer('PS256', 'auth0-ps');
      host.keys.set('/auth0', [auth0.publicJwk, ps.publicJwk]);
      try {
        now += 31_000;
        expect((await bearer(await sign(ps.privateKey, { ...AUTH0.header, alg: 'PS256', kid: 'auth0-ps' }, AUTH0.payload)).expect(401)).body.code).toBe('invalid_token');
      } finally {
        host.keys.set('/auth0', [auth0.publicJwk]);
      }
    }, 30_000);
  });

  describe('key rotation and kid misses', () => {
    it('refetches once for an unknown kid, then not again within the cooldown', async () => {
      at(AUTH0);
      now += 31_000; // past the cooldown of the last fetch
      const before = host.hits.get('/auth0') ?? 0;
      const unknown = await sign(auth0Next.privateKey, { ...AUTH0.header, kid: 'auth0-key-2' }, AUTH0.payload);
      expect((await bearer(unknown).expect(401)).body.code).toBe('invalid_token');
      expect(host.hits.get('/auth0')).toBe(before + 1);
      await bearer(unknown).expect(401);
      await bearer(unknown).expect(401);
      expect(host.hits.get('/auth0')).toBe(before + 1);
    });

    it('accepts tokens of a rotated-in key once the cooldown has passed, and the old key while it is published', async () => {
      at(AUTH0);
      host.keys.set('/auth0', [auth0.publicJwk, auth0Next.publicJwk]);
      const rotated = await sign(auth0Next.privateKey, { ...AUTH0.header, kid: 'auth0-key-2' }, AUTH0.payload);
      now += 31_000;
      await bearer(rotated).expect(200);
      await bearer(await sign(auth0.privateKey, AUTH0.header, AUTH0.payload)).expect(200);
    });
  });

  it('answers 503 with Retry-After when the issuer JWKS is unreachable', async () => {
    clock.set(Date.parse('2026-01-01T00:00:00Z'));
    const down = await sign(auth0.privateKey, { alg: 'RS256', typ: 'JWT', kid: 'k' }, { iss: 'https://down.example/', aud: 'api', sub: 'u', iat: 1_767_225_500, exp: 1_767_226_000 });
    const response = await bearer(down).expect(503);
    expect(response.body.code).toBe('service_unavailable');
    expect(response.headers['retry-after']).toBe('5');
  });
});

describe.each(ADAPTERS)('third-party issuers: verified tokens cached, revocations checked on every request (%s)', (adapter) => {
  const host = new JwksHost();
  const clock = new ManualClock();
  const memory = new MemoryRevocationStore(1_000, clock);
  let stale = false;
  // The built-in store's outage policy, switched by the test: checks refuse with 503 while stale.
  const revocations: RevocationStore = {
    revoke: (key, at, ttl) => memory.revoke(key, at, ttl),
    revokedAt: (key) => {
      if (stale) throw new GatehouseError('service_unavailable', { retryAfter: 2 });
      return memory.revokedAt(key);
    },
  };
  const OTHER = 'https://other-tenant.eu.auth0.com/';
  let app: INestApplication;
  let auth0: Signer;
  let other: Signer;
  let signatureChecks: jest.SpiedFunction<SubtleCrypto['verify']>;
  const bearer = (token: string) => request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);
  const auth0Token = (claims: JWTPayload = {}) => sign(auth0.privateKey, AUTH0.header, { ...AUTH0.payload, ...claims });
  const otherToken = (claims: JWTPayload = {}) => sign(other.privateKey, { ...AUTH0.header, kid: 'other-1' }, { ...AUTH0.payload, iss: OTHER, ...claims });
  const fetches = () => (host.hits.get('/auth0') ?? 0) + (host.hits.get('/other') ?? 0);

  beforeAll(async () => {
    await host.start();
    [auth0, other] = await Promise.all([signer('RS256', AUTH0.header.kid), signer('RS256', 'other-1')]);
    host.keys.set('/auth0', [auth0.publicJwk]);
    host.keys.set('/other', [other.publicJwk]);
    app = await createTinyApp(adapter, {
      imports: [
        GatehouseModule.forRoot({ clock, defaultMechanisms: ['jwt'], revocations }),
        IssuersModule.forRoot({
          issuers: [
            { issuer: AUTH0.payload.iss, jwksUrl: host.url('/auth0'), audience: 'https://test-server/api', scopeClaim: 'permissions' },
            { issuer: OTHER, jwksUrl: host.url('/other'), audience: 'https://test-server/api', scopeClaim: 'permissions' },
          ],
          allowInsecureLoopback: true,
        }),
      ],
      controllers: [ApiController],
    });
  }, 30_000);
  afterAll(async () => {
    await app.close();
    await host.stop();
  });
  beforeEach(() => {
    stale = false;
    clock.set((AUTH0.payload.iat + 10) * 1000);
    app.get(IssuerTokenVerifier).clearCache();
    signatureChecks = jest.spyOn(crypto.subtle, 'verify');
  });
  afterEach(() => jest.restoreAllMocks());

  it('verifies a token once: repeated requests fetch no JWKS and check no signature', async () => {
    const token = await auth0Token({ jti: 'cached-1' });
    await bearer(token).expect(200);
    const [fetched, checked] = [fetches(), signatureChecks.mock.calls.length];
    expect(checked).toBe(1);
    for (let i = 0; i < 3; i += 1) await bearer(token).expect(200);
    expect(fetches()).toBe(fetched);
    expect(signatureChecks.mock.calls.length).toBe(checked);
  });

  it('never caches a token with a bad signature', async () => {
    const token = await auth0Token({ jti: 'forged-1' });
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await bearer(forged).expect(401)).body.code).toBe('invalid_token');
    expect((await bearer(forged).expect(401)).body.code).toBe('invalid_token');
    expect(signatureChecks.mock.calls.length).toBe(2);
  });

  it('refuses a revoked subject with 401 token_revoked, cached or not', async () => {
    const sub = 'auth0|revoked-user';
    const cached = await auth0Token({ sub, jti: 'revoked-1' });
    await bearer(cached).expect(200);
    await app.get(IssuerTokenVerifier).revokeSubject(AUTH0.payload.iss, sub);
    const refused = await bearer(cached).expect(401);
    expect(refused.body.code).toBe('token_revoked');
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_token"');
    expect((await bearer(await auth0Token({ sub, jti: 'revoked-2' })).expect(401)).body.code).toBe('token_revoked');
    // A token the IdP issues after the revocation (next second) is accepted.
    clock.advance(1_000);
    await bearer(await auth0Token({ sub, jti: 'after-1', iat: AUTH0.payload.iat + 11 })).expect(200);
  });

  it('keeps two issuers apart for the same sub: revocations and cache entries', async () => {
    const sub = 'shared-subject';
    const [fromAuth0, fromOther] = await Promise.all([auth0Token({ sub, jti: 'x' }), otherToken({ sub, jti: 'x' })]);
    expect((await bearer(fromAuth0).expect(200)).body).toMatchObject({ subject: sub, iss: AUTH0.payload.iss });
    expect((await bearer(fromOther).expect(200)).body).toMatchObject({ subject: sub, iss: OTHER });
    await app.get(IssuerTokenVerifier).revokeSubject(OTHER, sub);
    await bearer(fromAuth0).expect(200);
    expect((await bearer(fromOther).expect(401)).body.code).toBe('token_revoked');
    expect((await bearer(fromAuth0).expect(200)).body.iss).toBe(AUTH0.payload.iss);
  });

  it('honours exp on cached tokens with a frozen clock', async () => {
    const token = await auth0Token({ jti: 'expiring-1' });
    await bearer(token).expect(200);
    clock.set((AUTH0.payload.exp! + 59) * 1000);
    await bearer(token).expect(200);
    clock.set((AUTH0.payload.exp! + 60) * 1000);
    expect((await bearer(token).expect(401)).body.code).toBe('token_expired');
    expect(signatureChecks.mock.calls.length).toBe(1);
  });

  it('answers 503 with Retry-After on the cached path when revocations cannot be vouched for', async () => {
    const token = await auth0Token({ jti: 'outage-1' });
    await bearer(token).expect(200);
    stale = true;
    const response = await bearer(token).expect(503);
    expect(response.body.code).toBe('service_unavailable');
    expect(response.headers['retry-after']).toBe('2');
  });
});

describe.each(ADAPTERS)('third-party issuers beside our own tokens (%s)', (adapter) => {
  it("verifies our tokens with the key ring and the issuer's with its JWKS, on one jwt mechanism", async () => {
    const host = new JwksHost();
    await host.start();
    const entra = await signer('RS256', ENTRA.header.kid);
    host.keys.set('/entra', [entra.publicJwk]);
    const clock = new ManualClock((ENTRA.payload.iat + 10) * 1000);
    const app = await createTinyApp(adapter, {
      imports: [
        GatehouseModule.forRoot({ clock, defaultMechanisms: ['jwt'] }),
        TokensModule.forRoot({ issuer: 'https://api.example', audience: 'api', refreshTokens: false }),
        IssuersModule.forRoot({ issuers: [{ issuer: ENTRA.payload.iss, jwksUrl: host.url('/entra'), audience: ENTRA.payload.aud as string, scopeClaim: 'scp', types: ['JWT'] }], allowInsecureLoopback: true }),
      ],
      controllers: [ApiController],
    });
    try {
      const own = await app.get(AccessTokenIssuer).issue({ subject: 'user-7', scopes: ['write:messages'] });
      const mine = await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${own.accessToken}`).expect(200);
      expect(mine.body).toMatchObject({ subject: 'user-7', iss: 'https://api.example' });
      const theirs = await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${await sign(entra.privateKey, ENTRA.header, ENTRA.payload)}`).expect(200);
      expect(theirs.body).toMatchObject({ subject: ENTRA.payload.sub, iss: ENTRA.payload.iss });
    } finally {
      await app.close();
      await host.stop();
    }
  }, 30_000);

  it('refuses to start when a profile names our own issuer', async () => {
    await expect(
      createTinyApp(adapter, {
        imports: [
          GatehouseModule.forRoot({}),
          TokensModule.forRoot({ issuer: 'https://api.example', audience: 'api', refreshTokens: false }),
          IssuersModule.forRoot({ issuers: [{ issuer: 'https://api.example', jwksUrl: 'https://api.example/jwks', audience: 'api' }] }),
        ],
      }),
    ).rejects.toThrow('the issuer of this app\'s own tokens');
  }, 30_000);
});

describe('issuer profile validation', () => {
  const base: IssuerProfile = { issuer: 'https://idp.example/', jwksUrl: 'https://idp.example/jwks', audience: 'api' };
  it.each([
    ['an http JWKS URL', { jwksUrl: 'http://idp.example/jwks' }, 'IssuersModule option issuers[0].jwksUrl: must be an https: URL'],
    ['HMAC', { algorithms: ['HS256'] }, 'never HMAC'],
    ['none', { algorithms: ['none'] }, 'never none'],
    ['an empty audience', { audience: [] }, 'IssuersModule option issuers[0].audience: must be'],
    ['an unknown scope claim', { scopeClaim: 'groups' }, 'IssuersModule option issuers[0].scopeClaim: must be one of'],
  ])('refuses %s', (_label, change, message) => {
    expect(() => resolveIssuersOptions({ issuers: [{ ...base, ...change } as IssuerProfile] })).toThrow(GatehouseConfigurationError);
    // The deprecated name still matches.
    expect(() => resolveIssuersOptions({ issuers: [{ ...base, ...change } as IssuerProfile] })).toThrow(TokensConfigurationError);
    expect(() => resolveIssuersOptions({ issuers: [{ ...base, ...change } as IssuerProfile] })).toThrow(message);
  });

  it('allows http only on loopback and only when asked', () => {
    const loopback = { ...base, jwksUrl: 'http://127.0.0.1:8080/jwks' };
    expect(() => resolveIssuersOptions({ issuers: [loopback] })).toThrow('https:');
    expect(resolveIssuersOptions({ issuers: [loopback], allowInsecureLoopback: true }).issuers.size).toBe(1);
    expect(() => resolveIssuersOptions({ issuers: [{ ...base, jwksUrl: 'http://idp.example/jwks' }], allowInsecureLoopback: true })).toThrow('https:');
  });

  it('refuses an issuer with whitespace (revocation keys put a space after it)', () => {
    expect(() => resolveIssuersOptions({ issuers: [{ ...base, issuer: 'https://idp.example/ x' }] })).toThrow('IssuersModule option issuers[0].issuer: must not contain whitespace');
  });

  it('refuses the same issuer twice', () => {
    expect(() => resolveIssuersOptions({ issuers: [base, base] })).toThrow('IssuersModule option issuers[1].issuer: "https://idp.example/" is listed twice');
  });
});
