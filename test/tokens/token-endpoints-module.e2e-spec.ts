import { Injectable, type INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { GatehouseAccounts, GatehouseModule, type VerifiedAccount } from '@gatehouse/core';
import { TokenEndpointsModule, TokensModule, tokensEntities, type TokenEndpointsOptions } from '@gatehouse/tokens';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';

/** The smallest accounts port: one user, one password. */
@Injectable()
class OneAccount implements GatehouseAccounts {
  async verifyCredentials({ email, password }: { email: string; password: string }): Promise<VerifiedAccount | undefined> {
    return email === 'ada@example.com' && password === 'correct horse battery staple' ? { subject: 'ada', scopes: ['orders:read'] } : undefined;
  }
  async changePassword(): Promise<'current_password_incorrect'> {
    return 'current_password_incorrect';
  }
  async scopesOf(): Promise<readonly string[]> {
    return ['orders:read'];
  }
}

function app(adapter: (typeof ADAPTERS)[number], endpoints: TokenEndpointsOptions): Promise<INestApplication> {
  return createTinyApp(adapter, {
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: tokensEntities, synchronize: true }),
      GatehouseModule.forRoot({}),
      TokensModule.forRoot({ issuer: 'https://auth.example.com', audience: 'orders-api', clientId: 'web' }),
      TokenEndpointsModule.forRoot(endpoints),
    ],
    providers: [OneAccount, { provide: GatehouseAccounts, useExisting: OneAccount }],
  });
}

const credentials = { email: 'ada@example.com', password: 'correct horse battery staple' };

describe.each(ADAPTERS)('TokenEndpointsModule: opt-in endpoints at configurable paths (%s)', (adapter) => {
  it('mounts every endpoint at the default paths with forRoot()', async () => {
    const server = await app(adapter, {});
    try {
      const http = server.getHttpServer();
      const signedIn = await request(http).post('/auth/token').send(credentials).expect(200);
      expect(signedIn.body).toMatchObject({ token_type: 'Bearer', scope: 'orders:read', refresh_token: expect.any(String) });
      const refreshed = await request(http).post('/auth/refresh').send({ refresh_token: signedIn.body.refresh_token }).expect(200);
      await request(http).post('/auth/revoke').send({ token: refreshed.body.refresh_token }).expect(200, {});
      await request(http).post('/auth/refresh/revoke').set('Sec-Fetch-Site', 'same-origin').expect(204);
      await request(http).get('/.well-known/jwks.json').expect(200);
      const metadata = await request(http).get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body).toEqual({
        issuer: 'https://auth.example.com',
        token_endpoint: 'https://auth.example.com/auth/refresh',
        jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
        revocation_endpoint: 'https://auth.example.com/auth/revoke',
        introspection_endpoint: 'https://auth.example.com/oauth/introspect',
        response_types_supported: [],
        grant_types_supported: ['refresh_token'],
        token_endpoint_auth_methods_supported: ['none'],
        revocation_endpoint_auth_methods_supported: ['none'],
        introspection_endpoint_auth_methods_supported: [],
      });
      // Without an OAuthClients provider a client secret cannot be checked, so it is refused, never ignored.
      const secret = await request(http).post('/auth/revoke').type('form').send({ token: 'x', client_id: 'a', client_secret: 'b' }).expect(401);
      expect(secret.body).toMatchObject({ error: 'invalid_client' });
    } finally {
      await server.close();
    }
  });

  it('moves endpoints and leaves out the ones switched off', async () => {
    const server = await app(adapter, { signIn: '/login/token', refresh: '/login/refresh', introspection: false, metadata: false, signOut: false });
    try {
      const http = server.getHttpServer();
      await request(http).post('/auth/token').send(credentials).expect(404);
      const signedIn = await request(http).post('/login/token').send(credentials).expect(200);
      await request(http).post('/login/refresh').send({ refresh_token: signedIn.body.refresh_token }).expect(200);
      await request(http).post('/oauth/introspect').send({ token: 'x' }).expect(404);
      await request(http).get('/.well-known/oauth-authorization-server').expect(404);
      await request(http).post('/auth/refresh/revoke').expect(404);
      await request(http).post('/auth/revoke').send({ token: 'x' }).expect(200);
    } finally {
      await server.close();
    }
  });

  it('refuses a malformed path at start-up', () => {
    expect(() => TokenEndpointsModule.forRoot({ signIn: 'auth/token' })).toThrow(TypeError);
    expect(() => TokenEndpointsModule.forRoot({ introspectionScope: 'two scopes' })).toThrow(TypeError);
  });
});
