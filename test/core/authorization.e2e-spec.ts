import { Controller, Get, Injectable, Module, Param, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import request from 'supertest';
import {
  AnyScope,
  Authorize,
  CurrentPrincipal,
  GatehouseError,
  GatehouseModule,
  HttpErrorFilter,
  OptionalAuth,
  Scopes,
  registerErrorCodes,
  type AuthorizationPolicy,
  type Principal,
  type PrincipalEnricher,
} from '@gatehouse/core';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';
import { FakeMechanisms } from '../support/fake-mechanisms.js';

registerErrorCodes({ order_not_owned: { status: 403, message: 'This order belongs to someone else.' } });

/** The app's own service a policy depends on. */
@Injectable()
class OrderOwners {
  async ownerOf(id: string): Promise<string | undefined> {
    return { '1': 'jwt-subject', '2': 'someone-else' }[id];
  }
}

/** Async, DI-resolved, reads the route input through the execution context. */
@Injectable()
class OwnsOrderPolicy implements AuthorizationPolicy {
  constructor(private readonly owners: OrderOwners) {}
  async authorize(principal: Principal, context: ExecutionContext): Promise<boolean> {
    const id = context.switchToHttp().getRequest<{ params: { id: string } }>().params.id;
    if ((await this.owners.ownerOf(id)) !== principal.subject) throw new GatehouseError('order_not_owned');
    return true;
  }
}

/** Sync, no provider of its own: built once by the guard. */
class AdminRolePolicy implements AuthorizationPolicy {
  authorize(principal: Principal): boolean {
    return principal.roles?.includes('admin') ?? false;
  }
}

/** Adds roles from "the app's database", as a `validate()` override would behind `AuthGuard`. */
@Injectable()
class RolesEnricher implements PrincipalEnricher {
  async enrich(principal: Principal): Promise<Principal> {
    if (principal.subject === 'banned-subject') throw new GatehouseError('authentication_failed');
    return { ...principal, roles: principal.credential.mechanism === 'api-key' ? ['admin'] : ['member'] };
  }
}

@Controller()
class CatalogueController {
  @OptionalAuth() @Get('catalogue') catalogue(@CurrentPrincipal() principal?: Principal) {
    return { viewer: principal?.subject ?? null, roles: principal?.roles ?? null, frozen: principal ? Object.isFrozen(principal) : null };
  }
  @AnyScope('orders:write', 'orders:admin') @Get('any') any() { return { ok: true }; }
  @Scopes('orders:read') @AnyScope('orders:write', 'orders:admin') @Get('both') both() { return { ok: true }; }
  @Authorize(OwnsOrderPolicy) @Get('orders/:id') order(@Param('id') id: string) { return { id }; }
  @Authorize(AdminRolePolicy) @Get('admin') admin() { return { ok: true }; }
}

@Authorize(AdminRolePolicy)
@Controller('keys')
class KeysController {
  @Authorize(OwnsOrderPolicy) @Get(':id') both(@Param('id') id: string) { return { id }; }
}

@Module({ providers: [FakeMechanisms, OrderOwners, OwnsOrderPolicy] })
class AppPieces {}

describe.each(ADAPTERS)('authorization beyond all-of scopes (%s)', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTinyApp(adapter, {
      imports: [GatehouseModule.forRoot({ realm: 'test', defaultMechanisms: ['jwt', 'session', 'api-key'], enricher: RolesEnricher }), AppPieces],
      controllers: [CatalogueController, KeysController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    });
  }, 30_000);
  afterAll(async () => {
    await app.close();
  });

  describe('@OptionalAuth()', () => {
    it('serves an anonymous caller without a principal', async () => {
      await http().get('/catalogue').expect(200, { viewer: null, roles: null, frozen: null });
    });

    it('attaches the enriched, frozen principal of a valid credential', async () => {
      await http().get('/catalogue').set('Authorization', 'Bearer good-jwt').expect(200, { viewer: 'jwt-subject', roles: ['member'], frozen: true });
    });

    it('still answers a present but invalid credential with 401', async () => {
      const bearer = await http().get('/catalogue').set('Authorization', 'Bearer forged').expect(401);
      expect(bearer.body.code).toBe('invalid_token');
      const cookie = await http().get('/catalogue').set('Cookie', 'sid=stale').expect(401);
      expect(cookie.body.code).toBe('invalid_token');
    });
  });

  describe('@AnyScope()', () => {
    it('passes with any one of the scopes and refuses with none, naming them', async () => {
      await http().get('/any').set('X-API-Key', 'good-key').expect(200);
      const refused = await http().get('/any').set('Authorization', 'Bearer good-jwt').expect(403);
      expect(refused.body).toMatchObject({ code: 'insufficient_scope', scope: 'orders:write orders:admin' });
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="test", error="insufficient_scope", scope="orders:write orders:admin"');
    });

    it('combines with all-of @Scopes on one route', async () => {
      await http().get('/both').set('X-API-Key', 'good-key').expect(200);
      await http().get('/both').set('Cookie', 'sid=good-session').expect(403);
    });
  });

  describe('@Authorize(Policy)', () => {
    it('runs an async DI-resolved policy that reads the route through the context', async () => {
      await http().get('/orders/1').set('Authorization', 'Bearer good-jwt').expect(200, { id: '1' });
      const refused = await http().get('/orders/2').set('Authorization', 'Bearer good-jwt').expect(403);
      expect(refused.body).toEqual({ statusCode: 403, code: 'order_not_owned', message: 'This order belongs to someone else.' });
    });

    it('answers false with 403 forbidden, and sees what the enricher added', async () => {
      const member = await http().get('/admin').set('Authorization', 'Bearer good-jwt').expect(403);
      expect(member.body.code).toBe('forbidden');
      await http().get('/admin').set('X-API-Key', 'good-key').expect(200);
    });

    it('applies class and method policies, every one', async () => {
      await http().get('/keys/1').set('X-API-Key', 'good-key').expect(403); // admin, but not the owner
      await http().get('/keys/1').set('Authorization', 'Bearer good-jwt').expect(403); // owner, not admin
    });

    it('needs a principal: 401 on an anonymous call', async () => {
      await http().get('/admin').expect(401);
    });
  });
});
