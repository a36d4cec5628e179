import type { ExecutionContext } from '@nestjs/common';
import { GatehouseError } from './gatehouse.error.js';
import { httpRequestOf, type GatehouseRequest } from './gatehouse-request.interface.js';
import { graphqlRequestOf } from './graphql-request.seam.js';
import type { Principal } from './principal.interface.js';
import { rpcRequestOf } from './rpc-request.seam.js';
import { socketRequestOf } from './socket-request.seam.js';

/**
 * The one seam between Nest's execution contexts and the mechanisms: the `GatehouseRequest` of
 * an HTTP request, a GraphQL operation (over HTTP or graphql-ws), a WebSocket message (its
 * socket's handshake) or a microservice message (its metadata). A context it does not know is a
 * coded refusal (`context_unsupported`), never a TypeError and never a pass.
 *
 * @example const request = contextRequestOf(context);
 */
export function contextRequestOf(context: ExecutionContext): GatehouseRequest {
  const type = context.getType<string>();
  if (type === 'http') return httpRequestOf(context);
  if (type === 'graphql') return graphqlRequestOf(context);
  if (type === 'ws') {
    const client = context.getArgByIndex<unknown>(0);
    const request = typeof client === 'object' && client !== null ? socketRequestOf(client) : undefined;
    // A `ws` socket whose gateway did not record its upgrade request has nothing to read.
    if (request) return request;
  }
  if (type === 'rpc') return rpcRequestOf(context);
  throw new GatehouseError('context_unsupported');
}

/** The principal the guard attached in this context, or undefined (a `@Public()` handler). */
export function contextPrincipalOf(context: ExecutionContext): Principal | undefined {
  if (context.getType() === 'http') return httpRequestOf(context).principal;
  try {
    return contextRequestOf(context).principal;
  } catch {
    return undefined;
  }
}
