import type { ExecutionContext } from '@nestjs/common';
import { contextRequestOf } from './execution-context.seam.js';
import { GatehouseError } from './gatehouse.error.js';

/** The smallest ExecutionContext the seam reads: a type and the handler's arguments. */
function contextOf(type: string, args: unknown[]): ExecutionContext {
  return { getType: () => type, getArgByIndex: (index: number) => args[index] } as unknown as ExecutionContext;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof GatehouseError ? error.code : `not coded: ${String(error)}`;
  }
  return undefined;
}

describe('contextRequestOf', () => {
  it('refuses a context it does not know with a coded error, never a TypeError', () => {
    expect(codeOf(() => contextRequestOf(contextOf('telegraf', [{}])))).toBe('context_unsupported');
    expect(codeOf(() => contextRequestOf(contextOf('graphql', [undefined, {}, { custom: true }, {}])))).toBe('context_unsupported');
    // A ws socket whose upgrade request was never recorded has nothing to read.
    expect(codeOf(() => contextRequestOf(contextOf('ws', [{ send() {} }, {}])))).toBe('context_unsupported');
  });

  it('reads gRPC Metadata, NATS headers and TCP/Redis packet metadata; never a cookie', () => {
    const grpc = { getMap: () => ({ authorization: 'Bearer g', cookie: '__Host-session=x' }) };
    expect(contextRequestOf(contextOf('rpc', [{}, grpc])).headers).toEqual({ authorization: 'Bearer g' });
    const nats = { getHeaders: () => ({ keys: () => ['Authorization'], get: () => 'Bearer n' }) };
    expect(contextRequestOf(contextOf('rpc', [{}, nats])).headers).toEqual({ authorization: 'Bearer n' });
    const tcp = { getMetadata: () => ({ 'X-API-Key': 'gh_k' }), getPattern: () => 'orders.list' };
    expect(contextRequestOf(contextOf('rpc', [{}, tcp]))).toMatchObject({ headers: { 'x-api-key': 'gh_k' }, url: 'orders.list' });
    const rmq = { getMessage: () => ({ properties: { headers: { authorization: Buffer.from('Bearer r') } } }) };
    expect(contextRequestOf(contextOf('rpc', [{}, rmq])).headers).toEqual({ authorization: 'Bearer r' });
  });

  it('gives one request per message, so guards and @CurrentPrincipal() share it', () => {
    const tcp = { getMetadata: () => ({}) };
    const context = contextOf('rpc', [{}, tcp]);
    expect(contextRequestOf(context)).toBe(contextRequestOf(context));
  });

  it('builds a graphql-ws request from connectionParams and the upgrade, never letting the params set the origin', () => {
    const ws = { connectionParams: { authorization: 'Bearer s', origin: 'https://evil.example', cookie: 'a=b' }, extra: { request: { headers: { origin: 'https://app.example', host: 'app.example' } } } };
    const request = contextRequestOf(contextOf('graphql', [undefined, {}, { req: ws }, {}]));
    expect(request).toMatchObject({ handshake: true, headers: { authorization: 'Bearer s', origin: 'https://app.example', host: 'app.example' } });
    expect(request.headers.cookie).toBeUndefined();
  });
});
