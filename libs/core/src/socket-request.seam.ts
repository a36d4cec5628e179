import type { GatehouseRequest } from './gatehouse-request.interface.js';

/** A WebSocket handshake as the seam reads it: the upgrade request plus the client's own payload. */
export interface HandshakeInput {
  headers: GatehouseRequest['headers'];
  /** socket.io's `auth` payload or graphql-ws' `connectionParams`. */
  params?: Readonly<Record<string, unknown>>;
  url: string;
  ip?: string;
  secure: boolean;
}

/**
 * Headers a client's payload may never set: what the browser attaches by itself (cookies) or what
 * an origin check reads. A cross-site page could otherwise send the victim's cookie on the
 * upgrade and a forged `origin` in its payload.
 */
const RESERVED = /^(?:cookie|origin|host|referer|forwarded|sec-.*|x-forwarded-.*)$/;

/**
 * The request the mechanisms read for a WebSocket handshake: the upgrade request's headers, with
 * the payload's string entries (`authorization`, an API-key header name, or `token` for a bare
 * bearer token) layered on top. Marked `handshake`, so an ambient credential needs an allowed
 * `Origin` (cross-site WebSocket hijacking).
 */
export function handshakeRequest(input: HandshakeInput): GatehouseRequest & { protocol: string } {
  const headers: GatehouseRequest['headers'] = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(input.params ?? {})) {
    const key = name.toLowerCase();
    if (typeof value !== 'string' || RESERVED.test(key)) continue;
    if (key === 'token') headers.authorization ??= `Bearer ${value}`;
    else headers[key] = value;
  }
  return { headers, method: 'GET', url: input.url, ip: input.ip, handshake: true, protocol: input.secure ? 'https' : 'http' };
}

interface SocketIoClient {
  handshake: {
    headers: GatehouseRequest['headers'];
    auth?: Record<string, unknown>;
    url?: string;
    address?: string;
    secure?: boolean;
  };
  disconnect(close?: boolean): unknown;
}

interface UpgradeRequest {
  headers: GatehouseRequest['headers'];
  url?: string;
  socket?: { remoteAddress?: string; encrypted?: boolean };
}

/** The handshake request of each connected socket: the principal stays with the socket. */
const handshakes = new WeakMap<object, GatehouseRequest>();

function isSocketIo(client: object): client is SocketIoClient {
  const handshake = (client as Partial<SocketIoClient>).handshake;
  return typeof handshake === 'object' && handshake !== null && typeof handshake.headers === 'object';
}

/**
 * Records a socket's handshake: socket.io's `client.handshake`, or for `ws` the upgrade request
 * Nest passes to `handleConnection(client, request)`. Returns the request the mechanisms read.
 */
export function recordHandshake(client: object, upgrade?: UpgradeRequest): GatehouseRequest | undefined {
  let request = handshakes.get(client);
  if (request) return request;
  if (isSocketIo(client)) {
    const { headers, auth, url, address, secure } = client.handshake;
    request = handshakeRequest({ headers, params: auth, url: url ?? '/', ip: address, secure: secure === true });
  } else if (upgrade && typeof upgrade.headers === 'object') {
    request = handshakeRequest({ headers: upgrade.headers, url: upgrade.url ?? '/', ip: upgrade.socket?.remoteAddress, secure: upgrade.socket?.encrypted === true });
  } else {
    return undefined;
  }
  handshakes.set(client, request);
  return request;
}

/** The recorded handshake of a socket (socket.io's is read on first use), or undefined. */
export function socketRequestOf(client: object): GatehouseRequest | undefined {
  return handshakes.get(client) ?? recordHandshake(client);
}

/** WebSocket close code for a dead credential, as graphql-ws uses it: 4401 Unauthorized. */
export const CREDENTIAL_DEAD_CLOSE_CODE = 4401;

/**
 * Closes a socket whose credential is dead, once the refusal has been sent: the close waits a
 * turn of the event loop, after Nest's exception handler has written the `exception` message.
 */
export function closeSocket(client: object, reason: string): void {
  setImmediate(() => {
    if (isSocketIo(client)) client.disconnect(true);
    else (client as { close?(code: number, reason: string): void }).close?.(CREDENTIAL_DEAD_CLOSE_CODE, reason);
  });
}

/** Sends a refusal the way Nest's gateway exception filter does: an `exception` event. */
export function sendRefusal(client: object, body: object): void {
  if (isSocketIo(client)) {
    (client as unknown as { emit(event: string, data: unknown): unknown }).emit('exception', body);
    return;
  }
  const ws = client as { send?(data: string): unknown; readyState?: number };
  if (typeof ws.send === 'function' && ws.readyState === 1) ws.send(JSON.stringify({ event: 'exception', data: body }));
}
