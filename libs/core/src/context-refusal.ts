import type { ArgumentsHost } from '@nestjs/common';
import { contextPeers } from './context-peers.js';
import { toErrorResponse } from './error-response.js';
import { GatehouseError } from './gatehouse.error.js';

/** The `extensions.code` of a refusal in GraphQL, by HTTP status (Apollo's names where it has them). */
const GRAPHQL_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * What a refusal carries outside HTTP: the same stable `code`, fixed `message` and status the
 * HTTP body has, plus the required `scope` and `retryAfter` (seconds) when they apply. Never a
 * secret, never a stack.
 */
export interface RefusalBody {
  status: 'error';
  statusCode: number;
  code: string;
  message: string;
  scope?: string;
  retryAfter?: number;
}

/** The refusal body of a `GatehouseError`, as WebSocket and RPC clients receive it. */
export function refusalBody(error: GatehouseError): RefusalBody {
  const { status, headers, body } = toErrorResponse(error);
  const refusal: RefusalBody = { status: 'error', statusCode: status, code: body.code, message: body.message };
  if (body.scope) refusal.scope = body.scope;
  if (headers['Retry-After']) refusal.retryAfter = Number(headers['Retry-After']);
  return refusal;
}

interface GraphQLPath {
  prev: GraphQLPath | undefined;
  key: string | number;
}

function pathToArray(path: GraphQLPath | undefined): Array<string | number> {
  const keys: Array<string | number> = [];
  for (let current = path; current; current = current.prev) keys.unshift(current.key);
  return keys;
}

/**
 * The app's `GraphQLError` for a refusal: `extensions.code` `UNAUTHENTICATED` / `FORBIDDEN` (…)
 * with gatehouse's `gatehouseCode`. It carries the field's path, so graphql-js reports it as is,
 * and no stack, so no server reports one (Apollo's `includeStacktraceInErrorResponses`).
 */
function graphqlRefusal(error: GatehouseError, context: ArgumentsHost): Error {
  const refusal = refusalBody(error);
  const info = context.getArgByIndex<{ path?: GraphQLPath; fieldNodes?: unknown } | undefined>(3);
  const extensions: Record<string, unknown> = {
    code: GRAPHQL_CODES[refusal.statusCode] ?? 'INTERNAL_SERVER_ERROR',
    gatehouseCode: refusal.code,
    status: refusal.statusCode,
  };
  if (refusal.scope) extensions.scope = refusal.scope;
  if (refusal.retryAfter !== undefined) extensions.retryAfter = refusal.retryAfter;
  const options = { nodes: info?.fieldNodes, path: info?.path ? pathToArray(info.path) : undefined, extensions };
  const GraphQLError = contextPeers.GraphQLError;
  const shaped: Error = GraphQLError
    ? new GraphQLError(refusal.message, options)
    : Object.assign(new Error(refusal.message), { extensions, path: options.path });
  // A refusal is an answer, not a fault: a stack would only tell the client about the server's files.
  Object.defineProperty(shaped, 'stack', { value: undefined, configurable: true, writable: true });
  return shaped;
}

/**
 * Turns a refusal into the error of the context it happened in: a `GraphQLError` in GraphQL, a
 * `WsException` in a gateway, an `RpcException` in a microservice. HTTP refusals and anything
 * that is not a `GatehouseError` (a programming error) are returned unchanged.
 */
export function contextRefusal(context: ArgumentsHost, error: unknown): unknown {
  if (!(error instanceof GatehouseError)) return error;
  const type = context.getType<string>();
  if (type === 'graphql') return graphqlRefusal(error, context);
  if (type === 'ws' && contextPeers.WsException) return new contextPeers.WsException(refusalBody(error));
  if (type === 'rpc' && contextPeers.RpcException) return new contextPeers.RpcException(refusalBody(error));
  return error;
}
