import type { ExecutionContext } from '@nestjs/common';
import { GatehouseError } from './gatehouse.error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';
import { handshakeRequest } from './socket-request.seam.js';

/** What graphql-ws hands the context factory for every operation of one connection. */
interface GraphqlWsContext {
  connectionParams?: Readonly<Record<string, unknown>> | undefined;
  extra?: { request?: { headers?: GatehouseRequest['headers']; url?: string; socket?: { remoteAddress?: string; encrypted?: boolean } } };
}

/** One request per graphql-ws connection, so a subscription's operations share its principal. */
const subscriptionRequests = new WeakMap<object, GatehouseRequest>();

function isHttpRequest(value: unknown): value is GatehouseRequest {
  return typeof value === 'object' && value !== null && typeof (value as GatehouseRequest).headers === 'object' && typeof (value as GatehouseRequest).method === 'string';
}

function isGraphqlWsContext(value: unknown): value is GraphqlWsContext {
  return typeof value === 'object' && value !== null && 'extra' in value && 'connectionParams' in value;
}

/**
 * The request of a GraphQL operation: over HTTP the server's own request (Apollo's and
 * Mercurius' `context.req` with Nest's drivers, or Mercurius' `reply.request`); over graphql-ws
 * one request per connection made from `connectionParams` (`authorization`, an API-key header
 * name) and the upgrade request's cookies and origin.
 */
export function graphqlRequestOf(context: ExecutionContext): GatehouseRequest {
  const gqlContext = context.getArgByIndex<Record<string, unknown> | undefined>(2);
  if (gqlContext) {
    const req = gqlContext.req;
    if (isHttpRequest(req)) return req;
    const fromReply = (gqlContext.reply as { request?: unknown } | undefined)?.request;
    if (isHttpRequest(fromReply)) return fromReply;
    const candidate: unknown = isGraphqlWsContext(req) ? req : gqlContext;
    const ws = isGraphqlWsContext(candidate) ? (candidate as GraphqlWsContext) : undefined;
    if (ws) {
      let request = subscriptionRequests.get(ws);
      if (!request) {
        const upgrade = ws.extra?.request;
        request = handshakeRequest({
          headers: upgrade?.headers ?? {},
          params: ws.connectionParams,
          url: upgrade?.url ?? '/',
          ip: upgrade?.socket?.remoteAddress,
          secure: upgrade?.socket?.encrypted === true,
        });
        subscriptionRequests.set(ws, request);
      }
      return request;
    }
  }
  // A custom context without `req`: nothing to read credentials from, so refuse (never fail open).
  throw new GatehouseError('context_unsupported');
}
