/** An error class of an optional peer, constructed with the refusal body (or message and options). */
type PeerErrorClass = new (...args: never[]) => Error;

/**
 * The error classes of the optional peers a non-HTTP context needs: a refusal must be an instance
 * of the app's own `GraphQLError`, `WsException` or `RpcException` for its framework to answer it
 * as a refusal, not as an internal error. They are imported on the guard's first non-HTTP
 * request, only if installed, so core never imports `graphql`, `@nestjs/websockets` or
 * `@nestjs/microservices` statically and an HTTP-only app loads none of them.
 */
export interface ContextPeers {
  GraphQLError?: new (message: string, options: Record<string, unknown>) => Error;
  WsException?: new (error: object) => Error;
  RpcException?: new (error: object) => Error;
}

export const contextPeers: ContextPeers = {};

async function optional<T extends PeerErrorClass>(load: () => Promise<Record<string, unknown>>, name: string): Promise<T | undefined> {
  try {
    const loaded = await load();
    return loaded[name] as T | undefined;
  } catch {
    return undefined;
  }
}

let loading: Promise<void> | undefined;
let loaded = false;

/** True once `loadContextPeers()` has finished. */
export function contextPeersLoaded(): boolean {
  return loaded;
}

/** Loads the installed peers' error classes once per process. */
export function loadContextPeers(): Promise<void> {
  loading ??= (async () => {
    const [GraphQLError, WsException, RpcException] = await Promise.all([
      optional(() => import('graphql'), 'GraphQLError'),
      optional(() => import('@nestjs/websockets'), 'WsException'),
      optional(() => import('@nestjs/microservices'), 'RpcException'),
    ]);
    Object.assign(contextPeers, { GraphQLError, WsException, RpcException });
    loaded = true;
  })();
  return loading;
}
