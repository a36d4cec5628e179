import { createServer } from 'node:net';
import { Controller, type INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, MessagePattern, Transport, type ClientProxy } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { APP_FILTER } from '@nestjs/core';
import { ApiKeyAuth, CurrentPrincipal, GatehouseError, HttpErrorFilter, Public, Scopes } from '@gatehouse/core';
import { provisionDatabase, type TestDatabase } from '../support/database.js';
import { authModules, issueCredentials, type Credentials } from './context-auth.js';

@Controller()
class OrdersHandlers {
  @Public() @MessagePattern('hello') hello() { return 'hello'; }
  @MessagePattern('me') me(@CurrentPrincipal('subject') subject: string) { return subject; }
  @Scopes('orders:read') @MessagePattern('orders') orders() { return ['order-1']; }
  @ApiKeyAuth() @MessagePattern('keyed') keyed(@CurrentPrincipal('kind') kind: string) { return kind; }
  @Public() @MessagePattern('fails') fails() { throw new GatehouseError('not_found'); }
  @Public() @MessagePattern('crashes') crashes() { throw new Error('a bug with /srv/app/secret/path.ts:12 in it'); }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// With HttpErrorFilter too: a filter for every error must still answer RPC clients, not leave them waiting.
describe.each([{ filter: 'the default filter' }, { filter: 'HttpErrorFilter' }])('microservice over TCP ($filter)', ({ filter }) => {
  let service: INestMicroservice;
  let database: TestDatabase;
  let credentials: Credentials;
  let port: number;
  const clients: ClientProxy[] = [];

  /** A TCP client whose every packet carries `metadata` (Nest 12's packet metadata). */
  function client(metadata?: Record<string, string>): ClientProxy {
    const proxy = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    if (metadata) proxy.setOnDispatchHook((packet) => void (packet.metadata = metadata));
    clients.push(proxy);
    return proxy;
  }

  const call = (proxy: ClientProxy, pattern: string, data: unknown = {}) => firstValueFrom(proxy.send(pattern, data));

  beforeAll(async () => {
    database = await provisionDatabase();
    port = await freePort();
    const providers = filter === 'HttpErrorFilter' ? [{ provide: APP_FILTER, useClass: HttpErrorFilter }] : [];
    const moduleRef = await Test.createTestingModule({ imports: authModules(database), controllers: [OrdersHandlers], providers }).compile();
    service = moduleRef.createNestMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    service.useLogger(false);
    await service.listen();
    credentials = await issueCredentials(service);
  }, 60_000);

  afterAll(async () => {
    for (const proxy of clients) proxy.close();
    await service.close();
    await database.drop();
  });

  it('answers a public pattern without a credential, and refuses a protected one with credentials_missing', async () => {
    const anonymous = client();
    await expect(call(anonymous, 'hello')).resolves.toBe('hello');
    await expect(call(anonymous, 'me')).rejects.toEqual({ status: 'error', statusCode: 401, code: 'credentials_missing', message: 'Authentication is required.' });
  });

  it('never reads a credential from the payload', async () => {
    await expect(call(client(), 'me', { authorization: `Bearer ${credentials.token}` })).rejects.toMatchObject({ code: 'credentials_missing' });
  });

  it('authenticates a bearer token in the metadata', async () => {
    const reader = client({ authorization: `Bearer ${credentials.token}` });
    await expect(call(reader, 'me')).resolves.toBe('reader');
    await expect(call(reader, 'orders')).resolves.toEqual(['order-1']);
  });

  it('refuses an invalid and a revoked token', async () => {
    await expect(call(client({ authorization: 'Bearer nope' }), 'me')).rejects.toMatchObject({ statusCode: 401, code: 'invalid_token' });
    const { token, revoke } = await credentials.revocable();
    const proxy = client({ authorization: `Bearer ${token}` });
    await expect(call(proxy, 'me')).resolves.toBe('revoked-reader');
    await revoke();
    await expect(call(proxy, 'me')).rejects.toMatchObject({ statusCode: 401, code: 'token_revoked' });
  });

  it('refuses a missing scope with insufficient_scope', async () => {
    await expect(call(client({ authorization: `Bearer ${credentials.underScoped}` }), 'orders')).rejects.toEqual({
      status: 'error',
      statusCode: 403,
      code: 'insufficient_scope',
      message: 'The credential lacks a required scope.',
      scope: 'orders:read',
    });
  });

  it('accepts an API key in the metadata where the handler allows keys', async () => {
    const keyed = client({ 'x-api-key': credentials.apiKey });
    await expect(call(keyed, 'keyed')).resolves.toBe('api-key');
    await expect(call(keyed, 'me')).rejects.toMatchObject({ code: 'mechanism_not_allowed' });
    const { key, revoke } = await credentials.revocableKey();
    await revoke();
    await expect(call(client({ 'x-api-key': key }), 'keyed')).rejects.toMatchObject({ code: 'invalid_api_key' });
  });

  it('ignores a session cookie in the metadata (no ambient credentials outside a browser)', async () => {
    await expect(call(client({ cookie: credentials.cookie }), 'me')).rejects.toMatchObject({ code: 'credentials_missing' });
  });

  it('answers an unexpected error without its message', async () => {
    const error: unknown = await call(client(), 'crashes').catch((caught: unknown) => caught);
    expect(JSON.stringify(error)).not.toContain('secret');
    expect(error).toMatchObject({ status: 'error' });
  });

  it('answers a GatehouseError thrown by a handler with its code', async () => {
    await expect(call(client(), 'fails')).rejects.toEqual({ status: 'error', statusCode: 404, code: 'not_found', message: 'Not found.' });
  });
});
