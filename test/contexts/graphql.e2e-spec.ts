import type { INestApplication } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Args, GraphQLModule, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { ApiKeyAuth, CurrentPrincipal, GatehouseError, ManualClock, Public, Scopes } from '@gatehouse/core';
import { RequireRecentAuth } from '@gatehouse/sessions';
import { createTinyApp, type AdapterName } from '../support/adapters.js';
import { provisionDatabase, type TestDatabase } from '../support/database.js';
import { authModules, issueCredentials, type Credentials } from './context-auth.js';

@Resolver()
class OrdersResolver {
  @Public() @Query(() => String) hello() { return 'hello'; }
  @Public() @Query(() => String) missing(): string { throw new GatehouseError('not_found'); }
  @Query(() => String) me(@CurrentPrincipal('subject') subject: string) { return subject; }
  @Scopes('orders:read') @Query(() => [String]) orders() { return ['order-1']; }
  @Scopes('admin') @Query(() => String) admin() { return 'root'; }
  @ApiKeyAuth() @Scopes('orders:read') @Query(() => String) keyed(@CurrentPrincipal('kind') kind: string) { return kind; }
  @RequireRecentAuth(1) @Mutation(() => String) rename(@Args('name') name: string) { return name; }
  @Mutation(() => String) touch(@CurrentPrincipal('subject') subject: string) { return subject; }

  @Scopes('orders:read')
  @Subscription(() => String, { resolve: (value: string) => value })
  async *ticks(@CurrentPrincipal('subject') subject: string): AsyncGenerator<string> {
    yield `tick for ${subject}`;
  }
}

type Flavour = { name: string; adapter: AdapterName; driver: 'apollo' | 'mercurius' };
const FLAVOURS: Flavour[] = [
  { name: 'Apollo on Express', adapter: 'express', driver: 'apollo' },
  { name: 'Apollo on Fastify', adapter: 'fastify', driver: 'apollo' },
  { name: 'Mercurius on Fastify', adapter: 'fastify', driver: 'mercurius' },
];

function graphqlModule(driver: Flavour['driver']) {
  return driver === 'apollo'
    ? // Stack traces on, as in development: a refusal must still carry none.
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, includeStacktraceInErrorResponses: true, subscriptions: { 'graphql-ws': true } })
    : GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true });
}

interface GraphqlError {
  message: string;
  extensions: { code: string; gatehouseCode?: string; scope?: string; stacktrace?: unknown };
}

describe.each(FLAVOURS)('GraphQL: $name', ({ adapter, driver }) => {
  let app: INestApplication;
  let database: TestDatabase;
  let credentials: Credentials;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    database = await provisionDatabase();
    app = await createTinyApp(adapter, { imports: [...authModules(database, { clock }), graphqlModule(driver)], providers: [OrdersResolver] });
    credentials = await issueCredentials(app);
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const query = (source: string, headers: Record<string, string> = {}) =>
    request(app.getHttpServer()).post('/graphql').set(headers).send({ query: source });

  /** The only error of a refused operation: a refusal, never an internal error, never a stack. */
  async function refusal(source: string, headers: Record<string, string> = {}): Promise<GraphqlError> {
    const response = await query(source, headers);
    expect(response.status).toBeLessThan(500);
    const errors = response.body.errors as GraphqlError[];
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(errors[0]!.extensions.stacktrace).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(?:ts|js):\d+/);
    return errors[0]!;
  }

  it('answers a public query without a credential', async () => {
    const response = await query('{ hello }').expect(200);
    expect(response.body.data).toEqual({ hello: 'hello' });
  });

  it('answers a GatehouseError thrown by a public resolver with its code, before any guarded request', async () => {
    const error = await refusal('{ missing }');
    expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', gatehouseCode: 'not_found' });
  });

  it('refuses a protected query without a credential: UNAUTHENTICATED, credentials_missing', async () => {
    const error = await refusal('{ me }');
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'credentials_missing' });
    expect(error.message).toBe('Authentication is required.');
  });

  it('refuses an invalid bearer token: invalid_token', async () => {
    const error = await refusal('{ me }', { Authorization: 'Bearer not.a.token' });
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'invalid_token' });
  });

  it('answers a valid bearer token and @CurrentPrincipal() reads it', async () => {
    const response = await query('{ me orders }', { Authorization: `Bearer ${credentials.token}` }).expect(200);
    expect(response.body).toEqual({ data: { me: 'reader', orders: ['order-1'] } });
  });

  it('refuses a revoked token: token_revoked', async () => {
    const { token, revoke } = await credentials.revocable();
    await query('{ me }', { Authorization: `Bearer ${token}` }).expect(200);
    await revoke();
    const error = await refusal('{ me }', { Authorization: `Bearer ${token}` });
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'token_revoked' });
  });

  it('refuses a missing scope: FORBIDDEN, insufficient_scope, with the scope', async () => {
    const error = await refusal('{ orders }', { Authorization: `Bearer ${credentials.underScoped}` });
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', gatehouseCode: 'insufficient_scope', scope: 'orders:read' });
    const admin = await refusal('{ admin }', { Authorization: `Bearer ${credentials.token}` });
    expect(admin.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'admin' });
  });

  it('accepts an API key where the resolver allows keys, and refuses it elsewhere', async () => {
    const response = await query('{ keyed }', { 'X-API-Key': credentials.apiKey }).expect(200);
    expect(response.body.data).toEqual({ keyed: 'api-key' });
    const error = await refusal('{ me }', { 'X-API-Key': credentials.apiKey });
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'mechanism_not_allowed' });
    const revoked = await credentials.revocableKey();
    await revoked.revoke();
    const dead = await refusal('{ keyed }', { 'X-API-Key': revoked.key });
    expect(dead.extensions).toMatchObject({ gatehouseCode: 'invalid_api_key' });
  });

  it('accepts the session cookie with its CSRF token on a mutation, and refuses it without', async () => {
    const response = await query('mutation { touch }', { Cookie: credentials.cookie, 'X-CSRF-Token': credentials.csrfToken }).expect(200);
    expect(response.body.data).toEqual({ touch: 'browser-user' });
    const error = await refusal('mutation { touch }', { Cookie: credentials.cookie });
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', gatehouseCode: 'csrf_token_invalid' });
  });

  it('applies @RequireRecentAuth: a sign-in older than allowed is refused', async () => {
    const { token } = await credentials.revocable();
    const fresh = await query('mutation { rename(name: "x") }', { Authorization: `Bearer ${token}` }).expect(200);
    expect(fresh.body.data).toEqual({ rename: 'x' });
    clock.advance(2_000);
    const error = await refusal('mutation { rename(name: "x") }', { Authorization: `Bearer ${token}` });
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'reauthentication_required' });
  });

  if (driver === 'apollo') {
    describe('subscriptions over graphql-ws', () => {
      const clients: Client[] = [];
      afterAll(() => {
        for (const client of clients) void client.dispose();
      });

      function subscribe(connectionParams: Record<string, string>): Promise<{ data?: unknown; errors?: GraphqlError[] }> {
        const url = (app.getHttpServer().address() as { port: number }).port;
        const client = createClient({ url: `ws://127.0.0.1:${url}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
        clients.push(client);
        return new Promise((resolve, reject) => {
          let result: { data?: unknown; errors?: GraphqlError[] } | undefined;
          client.subscribe(
            { query: 'subscription { ticks }' },
            {
              next: (value) => (result ??= value as { data?: unknown; errors?: GraphqlError[] }),
              error: (error) => (Array.isArray(error) ? resolve({ errors: error as GraphqlError[] }) : reject(error)),
              complete: () => resolve(result ?? {}),
            },
          );
        });
      }

      it('authenticates from connectionParams', async () => {
        await expect(subscribe({ authorization: `Bearer ${credentials.token}` })).resolves.toEqual({ data: { ticks: 'tick for reader' } });
      });

      it('refuses a subscription without a credential, with an invalid one and without the scope', async () => {
        const missing = await subscribe({});
        expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'credentials_missing' });
        const invalid = await subscribe({ authorization: 'Bearer nope' });
        expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', gatehouseCode: 'invalid_token' });
        const scoped = await subscribe({ authorization: `Bearer ${credentials.underScoped}` });
        expect(scoped.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', gatehouseCode: 'insufficient_scope' });
      });
    });
  }
});
