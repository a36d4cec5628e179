import { Body, Controller, Get, Injectable, Post, Put, Req, Res, UseGuards, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import {
  CurrentPrincipal,
  GatehouseError,
  GatehouseModule,
  ManualClock,
  MechanismRegistry,
  Public,
  readHeader,
  type GatehouseRequest,
  type Principal,
} from '@gatehouse/core';
import { RequireRecentAuth, SessionCookie, SessionService, SessionsModule, sessionMetaFrom, sessionsEntities } from '@gatehouse/sessions';
import { ADAPTERS, createTinyApp, type AdapterName } from '../support/adapters.js';
import { provisionDatabase, type TestDatabase } from '../support/database.js';

// The library on its own, in a tiny app per adapter: the guard's fast path, the passport strategy,
// CSRF, recent-auth and header-credential precedence. The demo's flows are in sessions.e2e-spec.ts.

@Injectable()
class FakeBearer implements OnModuleInit {
  constructor(private readonly registry: MechanismRegistry) {}
  onModuleInit(): void {
    this.registry.register({
      name: 'jwt',
      ambient: false,
      extract: (request: GatehouseRequest) => readHeader(request, 'authorization')?.replace(/^Bearer /, ''),
      authenticate: (credential: string): Principal => {
        if (credential !== 'good-token') throw new GatehouseError('invalid_token', { mechanism: 'jwt' });
        return { kind: 'user', subject: 'bearer-user', scopes: [], credential: { mechanism: 'jwt', id: 'jti-1' } };
      },
    });
  }
}

@Controller()
class TinyController {
  constructor(
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
  ) {}

  @Public()
  @Post('login')
  async login(@Body() body: { subject: string }, @Req() req: GatehouseRequest, @Res({ passthrough: true }) res: unknown) {
    const issued = await this.sessions.login(body.subject, ['things:write'], sessionMetaFrom(req), this.cookie.readAll(req));
    this.cookie.write(res, issued);
    return { csrfToken: issued.csrfToken, id: issued.id };
  }

  @Get('whoami') whoami(@CurrentPrincipal() principal: Principal) { return principal; }
  @Post('things') create(@CurrentPrincipal('subject') subject: string) { return { created: subject }; }
  @Put('things') replace(@CurrentPrincipal('subject') subject: string) { return { replaced: subject }; }
  @RequireRecentAuth(60) @Post('sensitive') sensitive() { return { ok: true }; }

  @Public() @UseGuards(AuthGuard('session')) @Get('passport')
  viaPassport(@Req() req: GatehouseRequest) { return { user: req.user }; }

  @Public() @UseGuards(AuthGuard('session')) @Post('passport')
  postViaPassport(@Req() req: GatehouseRequest) { return { subject: (req.user as Principal).subject }; }
}

function ormOptions(database: TestDatabase) {
  return database.kind === 'postgres'
    ? ({ type: 'postgres', url: database.url, entities: sessionsEntities, synchronize: true } as const)
    : ({ type: 'better-sqlite3', database: database.url.slice('sqlite:'.length), entities: sessionsEntities, synchronize: true } as const);
}

const cookieOf = (response: request.Response): string => {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-session='));
  if (!header) throw new Error('no session cookie');
  return header.split(';')[0]!;
};

describe.each(ADAPTERS)('session mechanism in a tiny app (%s)', (adapter: AdapterName) => {
  let app: INestApplication;
  let database: TestDatabase;
  const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  let cookie: string;
  let csrfToken: string;

  beforeAll(async () => {
    database = await provisionDatabase();
    app = await createTinyApp(adapter, {
      imports: [TypeOrmModule.forRoot(ormOptions(database)), GatehouseModule.forRoot({ clock }), SessionsModule.forRoot({ purgeIntervalMs: 0 })],
      controllers: [TinyController],
      providers: [FakeBearer],
    });
    const login = await request(app.getHttpServer()).post('/login').send({ subject: 'user-1' }).expect(201);
    cookie = cookieOf(login);
    csrfToken = login.body.csrfToken;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const http = () => request(app.getHttpServer());

  it('authenticates a GET by cookie alone, as a user principal', async () => {
    const response = await http().get('/whoami').set('Cookie', cookie).expect(200);
    expect(response.body).toEqual({
      kind: 'user',
      subject: 'user-1',
      scopes: ['things:write'],
      credential: { mechanism: 'session', id: expect.any(String), sessionId: expect.any(String), authTime: clock.now(), expiresAt: clock.now() + 3 * 86_400_000 },
    });
    expect(JSON.stringify(response.body)).not.toContain(cookie.split('=')[1]);
  });

  it('requires the CSRF token on unsafe methods and sends Vary on the answer', async () => {
    const refused = await http().post('/things').set('Cookie', cookie).send({}).expect(403);
    expect(refused.body.code).toBe('csrf_token_invalid');
    expect(refused.headers.vary).toMatch(/Sec-Fetch-Site/i);
    const accepted = await http().post('/things').set('Cookie', cookie).set('X-CSRF-Token', csrfToken).send({}).expect(201);
    expect(accepted.body).toEqual({ created: 'user-1' });
    expect(accepted.headers.vary).toMatch(/Sec-Fetch-Site/i);
    expect(accepted.headers.vary).toMatch(/Origin/i);
    await http().put('/things').set('Cookie', cookie).set('X-CSRF-Token', csrfToken).set('Sec-Fetch-Site', 'cross-site').send({}).expect(403);
  });

  it('prefers a header credential over the cookie, and then needs no CSRF token', async () => {
    const response = await http().post('/things').set('Cookie', cookie).set('Authorization', 'Bearer good-token').send({}).expect(201);
    expect(response.body).toEqual({ created: 'bearer-user' });
    // A bad bearer never falls back to the valid cookie.
    await http().get('/whoami').set('Cookie', cookie).set('Authorization', 'Bearer bad').expect(401);
  });

  it('refuses two session cookies (cookie tossing) even when one is valid', async () => {
    for (const header of [`${cookie}; __Host-session=${'A'.repeat(43)}`, `__Host-session=${'A'.repeat(43)}; ${cookie}`, `${cookie}; ${cookie}`]) {
      const response = await http().get('/whoami').set('Cookie', header).expect(401);
      expect(response.body.code).toBe('invalid_session');
    }
  });

  it('works through AuthGuard("session") with the same checks', async () => {
    const response = await http().get('/passport').set('Cookie', cookie).expect(200);
    expect(response.body.user).toMatchObject({ subject: 'user-1', credential: { mechanism: 'session' } });
    await http().get('/passport').expect(401);
    const invalid = await http().get('/passport').set('Cookie', `__Host-session=${'B'.repeat(43)}`).expect(401);
    expect(invalid.body.code).toBe('invalid_session');
    const noToken = await http().post('/passport').set('Cookie', cookie).send({}).expect(403);
    expect(noToken.body.code).toBe('csrf_token_invalid');
    await http().post('/passport').set('Cookie', cookie).set('X-CSRF-Token', csrfToken).send({}).expect(201, { subject: 'user-1' });
  });

  it('demands a recent sign-in with @RequireRecentAuth', async () => {
    const login = await http().post('/login').send({ subject: 'user-2' }).expect(201);
    const fresh = cookieOf(login);
    await http().post('/sensitive').set('Cookie', fresh).set('X-CSRF-Token', login.body.csrfToken).send({}).expect(201);
    clock.advance(61_000);
    const stale = await http().post('/sensitive').set('Cookie', fresh).set('X-CSRF-Token', login.body.csrfToken).send({}).expect(401);
    expect(stale.body.code).toBe('reauthentication_required');
  });
});
