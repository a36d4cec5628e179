import { Controller, Get, Req, UseGuards, type INestApplication } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { jest } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { CurrentPrincipal, GatehouseModule, Public, Scopes, type ManualClock, type Principal } from '@gatehouse/core';
import { KeyRing, TokensModule } from '@gatehouse/tokens';
import { ADAPTERS, createTinyApp, type AdapterName } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../src/tokens/tokens-demo.module.js';
import { LOGIN_LIMITS, signIn } from './token-helpers.js';

@Controller()
class ReportsController {
  @Scopes('orders:read')
  @Get('reports')
  reports(@CurrentPrincipal() principal: Principal): { subject: string; sid?: string } {
    return { subject: principal.subject, sid: principal.credential.sessionId };
  }

  /** The passport route: `AuthGuard('jwt')` runs our jose-backed strategy, not passport-jwt's verifier. */
  @Public()
  @UseGuards(AuthGuard('jwt'))
  @Get('legacy')
  legacy(@Req() request: { user: Principal }): { subject: string } {
    return { subject: request.user.subject };
  }
}

/** A resource server: no private key, no database; it trusts the issuer's JWKS only. */
function resourceServer(adapter: AdapterName, jwksUrl: string, clock: ManualClock): Promise<INestApplication> {
  return createTinyApp(adapter, {
    imports: [
      GatehouseModule.forRoot({ clock }),
      TokensModule.forRoot({ issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, jwksUrl, allowInsecureLoopback: true, jwksCooldownMs: 0, jwksTimeoutMs: 1_000 }),
    ],
    controllers: [ReportsController],
  });
}

describe.each(ADAPTERS)('resource-server mode (%s)', (adapter) => {
  let issuer: RunningDemo;
  let api: INestApplication;

  beforeAll(async () => {
    issuer = await startDemo(adapter, { env: LOGIN_LIMITS });
    api = await resourceServer(adapter, `${issuer.url}/.well-known/jwks.json`, issuer.clock);
  });
  afterAll(async () => {
    await api?.close();
    await issuer?.close();
  });

  it('accepts tokens of the issuing app, verified against its JWKS over HTTP', async () => {
    const tokens = await signIn(issuer);
    const response = await request(api.getHttpServer()).get('/reports').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
    expect(response.body).toEqual({ subject: expect.any(String), sid: expect.any(String) });
  });

  it('refuses forged and garbage tokens with 401 invalid_token, and no token with the bare challenge', async () => {
    const tokens = await signIn(issuer);
    const [header, payload] = tokens.access_token.split('.') as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' })).toString('base64url');
    for (const token of [`${header}.${forgedPayload}.${tokens.access_token.split('.')[2]}`, 'garbage']) {
      const response = await request(api.getHttpServer()).get('/reports').set('Authorization', `Bearer ${token}`).expect(401);
      expect(response.body.code).toBe('invalid_token');
    }
    const missing = await request(api.getHttpServer()).get('/reports').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it('picks up a rotated key: an unknown kid triggers one JWKS refetch', async () => {
    const before = await signIn(issuer);
    await request(api.getHttpServer()).get('/reports').set('Authorization', `Bearer ${before.access_token}`).expect(200);
    const newKid = await issuer.app.get(KeyRing).rotate();
    const after = await signIn(issuer);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(newKid);
    await request(api.getHttpServer()).get('/reports').set('Authorization', `Bearer ${after.access_token}`).expect(200);
    // The retired key still verifies the tokens it signed.
    await request(api.getHttpServer()).get('/reports').set('Authorization', `Bearer ${before.access_token}`).expect(200);
  });

  it('serves AuthGuard("jwt") through the jose-backed passport strategy', async () => {
    const tokens = await signIn(issuer);
    const ok = await request(api.getHttpServer()).get('/legacy').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
    expect(ok.body.subject).toEqual(expect.any(String));
    const bad = await request(api.getHttpServer()).get('/legacy').set('Authorization', 'Bearer garbage').expect(401);
    expect(bad.body.code).toBe('invalid_token');
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
    await request(api.getHttpServer()).get('/legacy').expect(401);
  });

  it('answers 503, not 401 or 500, when the JWKS cannot be fetched', async () => {
    const tokens = await signIn(issuer);
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    const isolated = await resourceServer(adapter, 'http://127.0.0.1:9/.well-known/jwks.json', issuer.clock);
    try {
      const response = await request(isolated.getHttpServer()).get('/reports').set('Authorization', `Bearer ${tokens.access_token}`).expect(503);
      expect(response.body.code).toBe('service_unavailable');
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expect(String(fetchSpy.mock.calls[0]?.[0])).toBe('http://127.0.0.1:9/.well-known/jwks.json');
    } finally {
      fetchSpy.mockRestore();
      await isolated.close();
    }
  });
});
