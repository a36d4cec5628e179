import { Injectable, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { GatehouseAccounts, GatehouseModule, type PasswordChangeOutcome, type VerifiedAccount } from '@gatehouse/core';
import { SessionEndpointsModule, SessionsModule, sessionsEntities, type SessionEndpointsOptions } from '@gatehouse/sessions';
import { ADAPTERS, createTinyApp, type AdapterName } from '../support/adapters.js';

const EMAIL = 'ada@example.com';
let password = 'correct horse battery staple';

/** The app's side of the port, as small as an app may write it: one account in memory. */
@Injectable()
class OneAccount implements GatehouseAccounts {
  async verifyCredentials(credentials: { email: string; password: string }): Promise<VerifiedAccount | undefined> {
    return credentials.email === EMAIL && credentials.password === password ? { subject: 'ada', scopes: ['orders:read'] } : undefined;
  }
  async changePassword(_subject: string, current: string, next: string): Promise<PasswordChangeOutcome> {
    if (current !== password) return 'current_password_incorrect';
    password = next;
    return 'changed';
  }
  async scopesOf(): Promise<readonly string[]> {
    return ['orders:read'];
  }
}

function appWith(adapter: AdapterName, endpoints: SessionEndpointsOptions, extra: ModuleMetadata['imports'] = []): Promise<INestApplication> {
  return createTinyApp(adapter, {
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: sessionsEntities, synchronize: true }),
      GatehouseModule.forRoot({}),
      SessionsModule.forRoot({ purgeIntervalMs: 0 }),
      SessionEndpointsModule.forRoot(endpoints),
      ...extra,
    ],
    providers: [OneAccount, { provide: GatehouseAccounts, useExisting: OneAccount }],
  });
}

describe.each(ADAPTERS)('SessionEndpointsModule: paths are options (%s)', (adapter) => {
  let standard: INestApplication;
  let moved: INestApplication;
  let routed: INestApplication;

  beforeAll(async () => {
    password = 'correct horse battery staple';
    [standard, moved, routed] = await Promise.all([
      appWith(adapter, {}),
      appWith(adapter, { prefix: 'account', paths: { devicesList: 'devices', changePassword: false } }),
      appWith(adapter, { prefix: '' }, [RouterModule.register([{ path: 'v1/auth', module: SessionEndpointsModule }])]),
    ]);
  });
  afterAll(() => Promise.all([standard, moved, routed].map((app) => app.close())));

  const signIn = async (app: INestApplication, path: string): Promise<Record<string, string>> => {
    const response = await request(app.getHttpServer()).post(path).send({ email: EMAIL, password }).expect(200);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0]!.split(';', 1)[0]!;
    return { Cookie: cookie, 'X-CSRF-Token': response.body.csrfToken };
  };

  it('mounts every endpoint under /auth by default', async () => {
    const headers = await signIn(standard, '/auth/login');
    const devices = await request(standard.getHttpServer()).get('/auth/sessions').set(headers).expect(200);
    // Without TokensModule the list holds sessions only.
    expect(devices.body.map((device: { type: string }) => device.type)).toEqual(['session']);
    await request(standard.getHttpServer()).get('/auth/csrf').set(headers).expect(200);
  });

  it('moves endpoints and leaves out the ones switched off, without touching another app in the process', async () => {
    const headers = await signIn(moved, '/account/login');
    await request(moved.getHttpServer()).get('/account/devices').set(headers).expect(200);
    await request(moved.getHttpServer()).get('/account/sessions').set(headers).expect(404);
    await request(moved.getHttpServer()).post('/account/password').set(headers).send({ currentPassword: password, newPassword: 'x'.repeat(16) }).expect(404);
    await request(moved.getHttpServer()).post('/auth/login').send({ email: EMAIL, password }).expect(404);
    // The default app still has its own paths.
    await signIn(standard, '/auth/login');
  });

  it('mounts under RouterModule with an empty prefix', async () => {
    const headers = await signIn(routed, '/v1/auth/login');
    await request(routed.getHttpServer()).post('/v1/auth/logout').set(headers).expect(204);
  });

  it('changes the password through the port; without ApiKeysModule in the app there are no keys to settle', async () => {
    const headers = await signIn(standard, '/auth/login');
    const next = 'a new passphrase for ada';
    const response = await request(standard.getHttpServer()).post('/auth/password').set(headers).send({ currentPassword: password, newPassword: next }).expect(200);
    expect(response.body).toEqual({ csrfToken: expect.any(String), revokedApiKeys: [], keptApiKeys: [] });
    expect(password).toBe(next);
  });

  it.each([
    ['an unknown field', { email: EMAIL, password: 'p', admin: true }],
    ['a non-email', { email: 'ada', password: 'p' }],
    ['a huge password', { email: EMAIL, password: 'p'.repeat(257) }],
    ['an array', [EMAIL]],
  ])('refuses %s at login with 400 validation_failed, never echoing it', async (_label, body) => {
    const response = await request(standard.getHttpServer()).post('/auth/login').send(body).expect(400);
    expect(response.body.code).toBe('validation_failed');
    expect(JSON.stringify(response.body)).not.toContain('ppp');
  });

  it('refuses an unknown endpoint name at start', () => {
    expect(() => SessionEndpointsModule.forRoot({ paths: { signup: 'x' } as never })).toThrow(TypeError);
  });
});
