import { Controller, Get, Injectable, UseGuards, type ExecutionContext, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import request from 'supertest';
import {
  CurrentPrincipal,
  GatehouseError,
  GatehouseGuard,
  GatehouseModule,
  MechanismRegistry,
  readHeader,
  Scopes,
  type GatehouseRequest,
  type Principal,
} from '@gatehouse/core';
import { ADAPTERS, createTinyApp, type AdapterName } from '../support/adapters.js';

/** A bearer mechanism that counts its checks: the proof that one guard, not two, ran. */
@Injectable()
class CountingBearer implements OnModuleInit {
  checks = 0;
  constructor(private readonly registry: MechanismRegistry) {}
  onModuleInit(): void {
    this.registry.register({
      name: 'jwt',
      ambient: false,
      extract: (req: GatehouseRequest) => readHeader(req, 'authorization')?.replace(/^Bearer /, ''),
      authenticate: (credential: string): Principal => {
        this.checks += 1;
        if (credential !== 'strong' && credential !== 'weak') throw new GatehouseError('invalid_token', { mechanism: 'jwt' });
        return { kind: 'user', subject: `${credential}-user`, scopes: credential === 'strong' ? ['orders:read'] : [], credential: { mechanism: 'jwt', id: credential } };
      },
    });
  }
}

/**
 * The app's own guard: partners send `X-Partner-Token`, read as a bearer token through the
 * documented `getRequest` hook; everything else is the built-in guard.
 */
@Injectable()
class PartnerGuard extends GatehouseGuard {
  seen = 0;
  protected override getRequest(context: ExecutionContext): GatehouseRequest {
    this.seen += 1;
    const request = super.getRequest(context);
    const partner = readHeader(request, 'x-partner-token');
    if (partner) request.headers.authorization = `Bearer ${partner}`;
    return request;
  }
}

@Controller()
class OrdersController {
  @Get('me') me(@CurrentPrincipal('subject') subject: string) { return { subject }; }
  @Scopes('orders:read') @Get('orders') orders() { return ['order-1']; }
}

@Controller('guarded')
@UseGuards(GatehouseGuard)
class GuardedController {
  @Scopes('orders:read') @Get() orders(@CurrentPrincipal('subject') subject: string) { return { subject }; }
}

@Controller('open')
class OpenController {
  @Get() open(@CurrentPrincipal() principal: Principal | undefined) { return { principal: principal ?? null }; }
}

describe.each(ADAPTERS)('guard ownership (%s)', (adapter: AdapterName) => {
  describe('globalGuard: false with the app\'s own subclass as APP_GUARD', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTinyApp(adapter, {
        imports: [GatehouseModule.forRoot({ globalGuard: false })],
        controllers: [OrdersController],
        providers: [CountingBearer, PartnerGuard, { provide: APP_GUARD, useExisting: PartnerGuard }],
      });
    });
    afterAll(() => app.close());

    it('replaces the built-in guard: the subclass\'s credential works and is checked once', async () => {
      const counter = app.get(CountingBearer);
      const guard = app.get(PartnerGuard);
      const before = { checks: counter.checks, seen: guard.seen };
      await request(app.getHttpServer()).get('/me').set('X-Partner-Token', 'strong').expect(200, { subject: 'strong-user' });
      expect(counter.checks - before.checks).toBe(1);
      expect(guard.seen - before.seen).toBe(1);
    });

    it('still refuses a missing or invalid credential', async () => {
      const missing = await request(app.getHttpServer()).get('/me').expect(401);
      expect(missing.body.code).toBe('credentials_missing');
      const invalid = await request(app.getHttpServer()).get('/me').set('X-Partner-Token', 'forged').expect(401);
      expect(invalid.body.code).toBe('invalid_token');
    });

    it('checks @Scopes after authenticating, with no global ScopesGuard', async () => {
      await request(app.getHttpServer()).get('/orders').set('X-Partner-Token', 'strong').expect(200, ['order-1']);
      const weak = await request(app.getHttpServer()).get('/orders').set('X-Partner-Token', 'weak').expect(403);
      expect(weak.body).toMatchObject({ code: 'insufficient_scope', scope: 'orders:read' });
      const missing = await request(app.getHttpServer()).get('/orders').expect(401);
      expect(missing.body.code).toBe('credentials_missing');
    });
  });

  describe('globalGuard: false with @UseGuards(GatehouseGuard) per controller', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTinyApp(adapter, {
        imports: [GatehouseModule.forRoot({ globalGuard: false })],
        controllers: [GuardedController, OpenController],
        providers: [CountingBearer],
      });
    });
    afterAll(() => app.close());

    it('guards only the controllers that ask, scopes included', async () => {
      await request(app.getHttpServer()).get('/open').expect(200, { principal: null });
      expect((await request(app.getHttpServer()).get('/guarded').expect(401)).body.code).toBe('credentials_missing');
      expect((await request(app.getHttpServer()).get('/guarded').set('Authorization', 'Bearer weak').expect(403)).body.code).toBe('insufficient_scope');
      await request(app.getHttpServer()).get('/guarded').set('Authorization', 'Bearer strong').expect(200, { subject: 'strong-user' });
    });
  });

  describe('the default (globalGuard: true)', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTinyApp(adapter, { imports: [GatehouseModule.forRoot({})], controllers: [OrdersController, OpenController], providers: [CountingBearer] });
    });
    afterAll(() => app.close());

    it('guards every route, with one check per request', async () => {
      const counter = app.get(CountingBearer);
      expect((await request(app.getHttpServer()).get('/open').expect(401)).body.code).toBe('credentials_missing');
      const before = counter.checks;
      await request(app.getHttpServer()).get('/me').set('Authorization', 'Bearer strong').expect(200);
      expect(counter.checks - before).toBe(1);
      expect((await request(app.getHttpServer()).get('/orders').set('Authorization', 'Bearer weak').expect(403)).body.code).toBe('insufficient_scope');
    });
  });
});
