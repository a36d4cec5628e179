import { Controller, Get, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import request from 'supertest';
import {
  ApiKeyAuth,
  AuthStrategies,
  CurrentPrincipal,
  GatehouseGuard,
  GatehouseModule,
  HttpErrorFilter,
  Public,
  Scopes,
  readHeader,
  type GatehouseRequest,
  type Principal,
} from '@gatehouse/core';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';
import { FakeMechanisms } from '../support/fake-mechanisms.js';

/** A user's own passport strategy: `Authorization: Partner <secret>`. */
@Injectable()
class PartnerStrategy extends PassportStrategy(CustomStrategy, 'partner') {
  validate(req: GatehouseRequest): Principal | false {
    const header = readHeader(req, 'authorization');
    if (header !== 'Partner s3cret') return false;
    return { kind: 'service', subject: 'partner-1', scopes: ['webhooks:write'], credential: { mechanism: 'partner', id: 'partner-1' } };
  }
}

@Controller()
class RoutesController {
  @Public() @Get('public') open() { return { ok: true }; }
  @Get('me') me(@CurrentPrincipal() principal: Principal) { return principal; }
  @Get('subject') subject(@CurrentPrincipal('subject') subject: string) { return { subject }; }
  @Scopes('orders:write') @Post('orders') create() { return { created: true }; }
  @ApiKeyAuth() @Scopes('orders:write') @Post('orders-with-keys') createWithKey() { return { created: true }; }
  @ApiKeyAuth({ only: true }) @Get('keys-only') keysOnly(@CurrentPrincipal('kind') kind: string) { return { kind }; }
  @AuthStrategies('partner') @Post('webhooks') webhook(@CurrentPrincipal('subject') subject: string) { return { subject }; }
  @AuthStrategies('jwt', 'partner') @Get('jwt-or-partner') either(@CurrentPrincipal('subject') subject: string) { return { subject }; }
}

@Scopes('admin')
@Controller('admin')
class AdminController {
  @Get() everything() { return { ok: true }; }
  @Scopes('orders:read') @Get('reports') reports() { return { ok: true }; }
}

@Module({ providers: [FakeMechanisms, PartnerStrategy] })
class FakeMechanismsModule {}

describe.each(ADAPTERS)('GatehouseGuard (%s)', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTinyApp(adapter, {
      imports: [GatehouseModule.forRoot({ realm: 'test' }), FakeMechanismsModule],
      controllers: [RoutesController, AdminController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets public routes through without a credential', async () => {
    await http().get('/public').expect(200, { ok: true });
  });

  it('answers a missing credential with 401, a challenge and no-store', async () => {
    const response = await http().get('/me').expect(401);
    expect(response.body).toEqual({ statusCode: 401, code: 'credentials_missing', message: 'Authentication is required.' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="test"');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('puts the principal on the request for @CurrentPrincipal', async () => {
    const response = await http().get('/me').set('Authorization', 'Bearer good-jwt').expect(200);
    expect(response.body).toEqual({ kind: 'user', subject: 'jwt-subject', scopes: ['orders:read'], credential: { mechanism: 'jwt', id: 'jwt-id' } });
    await http().get('/subject').set('Cookie', 'sid=good-session').expect(200, { subject: 'session-subject' });
  });

  it('answers an invalid bearer with 401 invalid_token and an RFC 6750 challenge', async () => {
    const response = await http().get('/me').set('Authorization', 'Bearer forged').expect(401);
    expect(response.body).toMatchObject({ code: 'invalid_token', error: 'invalid_token' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="test", error="invalid_token"');
    const expired = await http().get('/me').set('Authorization', 'Bearer expired').expect(401);
    expect(expired.body.code).toBe('token_expired');
  });

  it('returns the refusal as refused() made it, with no promise chained to it', async () => {
    const guard = app.get(GatehouseGuard);
    const hooks = guard as unknown as { refused(request: unknown, error: unknown): Promise<never> };
    const made: Promise<never>[] = [];
    const returned: unknown[] = [];
    const canActivate = guard.canActivate;
    hooks.refused = function (this: GatehouseGuard, ...args: [unknown, unknown]) {
      const refusal = (GatehouseGuard.prototype as unknown as typeof hooks).refused.apply(this, args);
      made.push(refusal);
      return refusal;
    };
    guard.canActivate = function (this: GatehouseGuard, context) {
      const result = canActivate.call(this, context);
      returned.push(result);
      return result;
    };
    try {
      await http().get('/me').set('Authorization', 'Bearer forged').expect(401);
    } finally {
      delete (guard as unknown as Record<string, unknown>).canActivate;
      delete (guard as unknown as Record<string, unknown>).refused;
    }
    expect(made).toHaveLength(1);
    expect(returned).toEqual([made[0]]);
    expect(returned[0]).toBe(made[0]);
  });

  it('never falls through from an invalid credential to another present one', async () => {
    // A valid session cookie must not rescue a forged bearer token.
    const response = await http().get('/me').set('Authorization', 'Bearer forged').set('Cookie', 'sid=good-session').expect(401);
    expect(response.body.code).toBe('invalid_token');
    // Nor may a custom strategy rescue it.
    await http().get('/jwt-or-partner').set('Authorization', 'Bearer forged').expect(401);
  });

  it('prefers a header credential over the ambient cookie', async () => {
    const response = await http().get('/me').set('Authorization', 'Bearer good-jwt').set('Cookie', 'sid=anything').expect(200);
    expect(response.body.credential.mechanism).toBe('jwt');
  });

  it('refuses two header credentials at once', async () => {
    const response = await http().post('/orders-with-keys').set('Authorization', 'Bearer good-jwt').set('X-API-Key', 'good-key').expect(401);
    expect(response.body.code).toBe('credentials_conflict');
  });

  it('refuses API keys on routes without @ApiKeyAuth', async () => {
    const response = await http().get('/me').set('X-API-Key', 'good-key').expect(401);
    expect(response.body.code).toBe('mechanism_not_allowed');
  });

  it('accepts API keys where @ApiKeyAuth allows them, and only them with { only: true }', async () => {
    await http().post('/orders-with-keys').set('X-API-Key', 'good-key').expect(201);
    await http().get('/keys-only').set('X-API-Key', 'good-key').expect(200, { kind: 'api-key' });
    const bearerOnKeysOnly = await http().get('/keys-only').set('Authorization', 'Bearer good-jwt').expect(401);
    expect(bearerOnKeysOnly.body.code).toBe('mechanism_not_allowed');
    const wrongKey = await http().get('/keys-only').set('X-API-Key', 'nope').expect(401);
    expect(wrongKey.body.code).toBe('invalid_api_key');
  });

  it('answers a missing scope with 403 insufficient_scope naming the scope', async () => {
    const response = await http().post('/orders').set('Authorization', 'Bearer good-jwt').expect(403);
    expect(response.body).toMatchObject({ statusCode: 403, code: 'insufficient_scope', error: 'insufficient_scope', scope: 'orders:write' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="test", error="insufficient_scope", scope="orders:write"');
  });

  it('lets method @Scopes override class @Scopes', async () => {
    await http().get('/admin').set('Authorization', 'Bearer good-jwt').expect(403);
    await http().get('/admin/reports').set('Authorization', 'Bearer good-jwt').expect(200);
  });

  it('runs a named custom passport strategy', async () => {
    await http().post('/webhooks').set('Authorization', 'Partner s3cret').expect(201, { subject: 'partner-1' });
    const refused = await http().post('/webhooks').set('Authorization', 'Partner wrong').expect(401);
    expect(refused.body.code).toBe('authentication_failed');
    await http().get('/jwt-or-partner').set('Authorization', 'Partner s3cret').expect(200, { subject: 'partner-1' });
    await http().get('/jwt-or-partner').set('Authorization', 'Bearer good-jwt').expect(200, { subject: 'jwt-subject' });
  });

  it('refuses the built-in mechanisms on a route that names only a custom strategy', async () => {
    const response = await http().post('/webhooks').set('Authorization', 'Bearer good-jwt').expect(401);
    expect(response.body.code).toBe('mechanism_not_allowed');
  });

  it.each([
    ['a bare scheme', { Authorization: 'Bearer' }],
    ['non-ASCII garbage', { Authorization: 'Bearer \u00ff\u00fe{}\t..' }],
    ['a huge token', { Authorization: `Bearer ${'A'.repeat(8000)}` }],
    ['an unknown scheme', { Authorization: 'Digest abc' }],
    ['an empty cookie', { Cookie: 'sid=' }],
    ['a malformed cookie header', { Cookie: ';;==;sid' }],
  ])('answers %s with 401 and a code, never 500', async (_label, headers) => {
    const response = await http().get('/me').set(headers as Record<string, string>);
    expect(response.status).toBe(401);
    expect(typeof response.body.code).toBe('string');
  });
});

describe('GatehouseGuard configuration errors', () => {
  it('stops the app at startup when a route names an unknown strategy', async () => {
    @Controller()
    class TypoController {
      @AuthStrategies('no-such-strategy') @Get('typo') typo() { return {}; }
    }
    await expect(createTinyApp('express', { imports: [GatehouseModule.forRoot({})], controllers: [TypoController] })).rejects.toThrow(
      'Unknown authentication mechanism "no-such-strategy" on TypoController.typo',
    );
  });
});

describe.each(ADAPTERS)('GatehouseModule options (%s)', (adapter) => {
  it('forRootAsync takes options from a factory; options.strategies adds a custom strategy to every route', async () => {
    const app = await createTinyApp(adapter, {
      imports: [
        GatehouseModule.forRootAsync({ useFactory: async () => ({ strategies: ['partner'], defaultMechanisms: ['jwt'] }) }),
        FakeMechanismsModule,
      ],
      controllers: [RoutesController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    });
    try {
      const http = () => request(app.getHttpServer());
      await http().get('/subject').set('Authorization', 'Partner s3cret').expect(200, { subject: 'partner-1' });
      await http().get('/subject').set('Authorization', 'Bearer good-jwt').expect(200, { subject: 'jwt-subject' });
      // `session` is no longer a default mechanism here: its cookie is refused, not ignored.
      const cookie = await http().get('/subject').set('Cookie', 'sid=good-session').expect(401);
      expect(cookie.body.code).toBe('mechanism_not_allowed');
    } finally {
      await app.close();
    }
  });
});
