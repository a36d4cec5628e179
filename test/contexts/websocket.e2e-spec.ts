import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { ApiKeyAuth, CREDENTIAL_DEAD_CLOSE_CODE, CurrentPrincipal, GatehouseSockets, Public, Scopes } from '@gatehouse/core';
import { provisionDatabase, type TestDatabase } from '../support/database.js';
import { authModules, issueCredentials, type Credentials } from './context-auth.js';

@WebSocketGateway()
class OrdersGateway implements OnGatewayConnection {
  constructor(private readonly sockets: GatehouseSockets) {}

  handleConnection(client: object, request: IncomingMessage) {
    return this.sockets.connect(client, request);
  }

  @Public() @SubscribeMessage('hello') hello() { return { event: 'hello', data: 'hello' }; }
  @SubscribeMessage('me') me(@CurrentPrincipal('subject') subject: string) { return { event: 'me', data: subject }; }
  @Scopes('orders:read') @SubscribeMessage('orders') orders() { return { event: 'orders', data: ['order-1'] }; }
  @ApiKeyAuth() @SubscribeMessage('keyed') keyed(@CurrentPrincipal('kind') kind: string) { return { event: 'keyed', data: kind }; }
}

interface Message {
  event: string;
  data: unknown;
}

/** One client connection, socket.io or ws, seen the same way: messages in order, and its close. */
interface Peer {
  send(event: string): void;
  next(): Promise<Message>;
  closed: Promise<{ code?: number; reason?: string }>;
  close(): void;
}

function queue(): { push(message: Message): void; next(): Promise<Message> } {
  const messages: Message[] = [];
  const waiting: Array<(message: Message) => void> = [];
  return {
    push: (message) => (waiting.length > 0 ? waiting.shift()!(message) : messages.push(message)),
    next: () =>
      new Promise((resolve, reject) => {
        if (messages.length > 0) return resolve(messages.shift()!);
        const timer = setTimeout(() => reject(new Error('no message within 2 s')), 2_000);
        waiting.push((message) => (clearTimeout(timer), resolve(message)));
      }),
  };
}

type Transport = 'socket.io' | 'ws';
type Connect = (options: { headers?: Record<string, string>; auth?: Record<string, string> }) => Peer;

function connector(transport: Transport, port: number): Connect {
  if (transport === 'socket.io') {
    return ({ headers, auth }) => {
      const messages = queue();
      const socket: Socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], extraHeaders: headers, auth, reconnection: false, forceNew: true });
      socket.onAny((event: string, data: unknown) => messages.push({ event, data }));
      const closed = new Promise<{ reason?: string }>((resolve) => socket.on('disconnect', (reason) => resolve({ reason })));
      return { send: (event) => socket.emit(event, {}), next: messages.next, closed, close: () => socket.close() };
    };
  }
  return ({ headers, auth }) => {
    const messages = queue();
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { headers: { ...headers, ...(auth?.token ? { authorization: `Bearer ${auth.token}` } : {}) } });
    const open = new Promise((resolve) => socket.once('open', resolve));
    socket.on('message', (raw) => messages.push(JSON.parse(String(raw)) as Message));
    const closed = new Promise<{ code?: number; reason?: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    return {
      send: (event) => void open.then(() => socket.send(JSON.stringify({ event, data: {} }))),
      next: messages.next,
      closed,
      close: () => socket.close(),
    };
  };
}

const SETUPS = [
  { transport: 'socket.io', adapter: 'express' },
  { transport: 'socket.io', adapter: 'fastify' },
  { transport: 'ws', adapter: 'express' },
] as const;

describe.each(SETUPS)('WebSocket gateway: $transport on $adapter', ({ transport, adapter }) => {
  let app: INestApplication;
  let database: TestDatabase;
  let credentials: Credentials;
  let connect: Connect;
  let origin: string;
  const peers: Peer[] = [];

  beforeAll(async () => {
    database = await provisionDatabase();
    const moduleRef = await Test.createTestingModule({ imports: authModules(database), providers: [OrdersGateway] }).compile();
    app = adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication();
    if (transport === 'ws') app.useWebSocketAdapter(new WsAdapter(app));
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;
    origin = `http://127.0.0.1:${port}`;
    const open = connector(transport, port);
    connect = (options) => {
      const peer = open(options);
      peers.push(peer);
      return peer;
    };
    credentials = await issueCredentials(app);
  }, 60_000);

  afterAll(async () => {
    for (const peer of peers) peer.close();
    await app.close();
    await database.drop();
  });

  const bearer = (token: string) => (transport === 'socket.io' ? { auth: { token } } : { headers: { Authorization: `Bearer ${token}` } });

  it('answers a public message without a credential, and refuses a protected one with credentials_missing', async () => {
    const peer = connect({});
    peer.send('hello');
    await expect(peer.next()).resolves.toEqual({ event: 'hello', data: 'hello' });
    peer.send('me');
    await expect(peer.next()).resolves.toEqual({ event: 'exception', data: { status: 'error', statusCode: 401, code: 'credentials_missing', message: 'Authentication is required.' } });
    // A missing credential is not a dead one: the socket stays usable for public messages.
    peer.send('hello');
    await expect(peer.next()).resolves.toMatchObject({ event: 'hello' });
  });

  it('authenticates a bearer token in the Authorization header once, and every message sees the principal', async () => {
    const peer = connect({ headers: { Authorization: `Bearer ${credentials.token}` } });
    peer.send('me');
    await expect(peer.next()).resolves.toEqual({ event: 'me', data: 'reader' });
    peer.send('orders');
    await expect(peer.next()).resolves.toEqual({ event: 'orders', data: ['order-1'] });
  });

  it('reads the bearer token from the handshake payload', async () => {
    const peer = connect(bearer(credentials.token));
    peer.send('me');
    await expect(peer.next()).resolves.toEqual({ event: 'me', data: 'reader' });
  });

  it('refuses an invalid token at the handshake and closes the connection', async () => {
    const peer = connect(bearer('not.a.token'));
    await expect(peer.next()).resolves.toMatchObject({ event: 'exception', data: { code: 'invalid_token', statusCode: 401 } });
    const closed = await peer.closed;
    if (transport === 'ws') expect(closed).toEqual({ code: CREDENTIAL_DEAD_CLOSE_CODE, reason: 'invalid_token' });
    else expect(closed.reason).toBe('io server disconnect');
  });

  it('stops a revoked token at its next message and closes the connection', async () => {
    const { token, revoke } = await credentials.revocable();
    const peer = connect(bearer(token));
    peer.send('me');
    await expect(peer.next()).resolves.toEqual({ event: 'me', data: 'revoked-reader' });
    await revoke();
    peer.send('me');
    await expect(peer.next()).resolves.toMatchObject({ event: 'exception', data: { code: 'token_revoked', statusCode: 401 } });
    const closed = await peer.closed;
    if (transport === 'ws') expect(closed.code).toBe(CREDENTIAL_DEAD_CLOSE_CODE);
  });

  it('refuses a missing scope with insufficient_scope and keeps the socket open', async () => {
    const peer = connect(bearer(credentials.underScoped));
    peer.send('orders');
    await expect(peer.next()).resolves.toEqual({
      event: 'exception',
      data: { status: 'error', statusCode: 403, code: 'insufficient_scope', message: 'The credential lacks a required scope.', scope: 'orders:read' },
    });
    peer.send('me');
    await expect(peer.next()).resolves.toEqual({ event: 'me', data: 'nobody' });
  });

  it('accepts an API key on a handler that allows keys, and a revoked key stops at its next message', async () => {
    const { key, revoke } = await credentials.revocableKey();
    const peer = connect({ headers: { 'X-API-Key': key } });
    peer.send('keyed');
    await expect(peer.next()).resolves.toEqual({ event: 'keyed', data: 'api-key' });
    peer.send('me');
    await expect(peer.next()).resolves.toMatchObject({ event: 'exception', data: { code: 'mechanism_not_allowed' } });
    await revoke();
    peer.send('keyed');
    await expect(peer.next()).resolves.toMatchObject({ event: 'exception', data: { code: 'invalid_api_key' } });
    await peer.closed;
  });

  it('accepts the session cookie from the own origin, and refuses it cross-site or without an Origin', async () => {
    const own = connect({ headers: { Cookie: credentials.cookie, Origin: origin } });
    own.send('me');
    await expect(own.next()).resolves.toEqual({ event: 'me', data: 'browser-user' });
    for (const headers of [{ Cookie: credentials.cookie, Origin: 'https://evil.example' }, { Cookie: credentials.cookie }] as Array<Record<string, string>>) {
      const hijack = connect({ headers });
      await expect(hijack.next()).resolves.toMatchObject({ event: 'exception', data: { code: 'cross_site_request', statusCode: 403 } });
      await hijack.closed;
    }
  });

  it('never lets the handshake payload set the origin or the cookie', async () => {
    if (transport !== 'socket.io') return;
    const forged = connect({ headers: { Cookie: credentials.cookie, Origin: 'https://evil.example' }, auth: { origin, Origin: origin } });
    await expect(forged.next()).resolves.toMatchObject({ event: 'exception', data: { code: 'cross_site_request' } });
  });
});
