import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { issueCredentials, startExample } from '../../support/context-example.mjs';
import { startIdentityProvider } from '../../support/identity-provider.mjs';

/** A socket.io client whose messages (and refusals, as `exception` events) arrive in order. */
function connect(url, options = {}) {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  const messages = [];
  const waiting = [];
  socket.onAny((event, data) => (waiting.length > 0 ? waiting.shift()({ event, data }) : messages.push({ event, data })));
  const closed = new Promise((resolve) => socket.on('disconnect', resolve));
  return {
    socket,
    closed,
    ask(event) {
      socket.emit(event, {});
      return this.next();
    },
    next: () =>
      new Promise((resolve, reject) => {
        if (messages.length > 0) return resolve(messages.shift());
        const timer = setTimeout(() => reject(new Error('no message within 2 s')), 2_000);
        waiting.push((message) => (clearTimeout(timer), resolve(message)));
      }),
  };
}

describe('WebSocket example (socket.io) over the wire', () => {
  let app;
  let credentials;
  const sockets = [];
  const open = (options) => {
    const peer = connect(app.url, options);
    sockets.push(peer.socket);
    return peer;
  };

  let idp;

  before(async () => {
    idp = await startIdentityProvider();
    app = await startExample({ env: idp.env });
    credentials = await issueCredentials(app.url);
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await app?.stop();
    await idp?.stop();
  });

  it('answers a public message, and refuses a protected one without a credential', async () => {
    const peer = open();
    assert.deepEqual(await peer.ask('health'), { event: 'health', data: 'ok' });
    assert.deepEqual(await peer.ask('me'), {
      event: 'exception',
      data: { status: 'error', statusCode: 401, code: 'credentials_missing', message: 'Authentication is required.' },
    });
  });

  it('answers a bearer token, a session cookie and an API key', async () => {
    assert.deepEqual(await open({ auth: { token: credentials.token } }).ask('me'), { event: 'me', data: 'ada' });
    const browser = open({ extraHeaders: { cookie: credentials.cookie, origin: 'https://app.example.com' } });
    assert.deepEqual(await browser.ask('me'), { event: 'me', data: 'ada' });
    assert.deepEqual(await open({ extraHeaders: { 'x-api-key': credentials.apiKey } }).ask('orders'), { event: 'orders', data: ['order-1 of ada'] });
  });

  it('refuses a missing scope with insufficient_scope', async () => {
    const { data } = await open({ auth: { token: credentials.token } }).ask('place-order');
    assert.deepEqual(data, { status: 'error', statusCode: 403, code: 'insufficient_scope', message: 'The credential lacks a required scope.', scope: 'orders:write' });
  });

  it("authenticates the handshake with a third-party issuer's token", async () => {
    const peer = open({ auth: { token: idp.mint({ permissions: ['reports:read'] }) } });
    assert.deepEqual(await peer.ask('me'), { event: 'me', data: 'auth0|grace' });
    assert.deepEqual(await peer.ask('reports'), { event: 'reports', data: { reader: 'auth0|grace', issuer: idp.issuer } });
    const forged = open({ auth: { token: idp.mint({ iss: 'https://evil.example.com/' }) } });
    const { data } = await forged.next();
    assert.equal(data.code, 'invalid_token');
    await forged.closed;
  });

  it('refuses a message with a policy\'s own code, and answers the members it allows', async () => {
    const member = open({ auth: { token: idp.mint({ org_id: 'org_acme' }) } });
    assert.deepEqual(await member.ask('billing'), { event: 'billing', data: 'enterprise plan of org_acme' });
    const { data } = await open({ auth: { token: credentials.token } }).ask('billing');
    assert.deepEqual(data, { status: 'error', statusCode: 403, code: 'organization_required', message: 'The route is open to members of the organization only.' });
  });

  it('refuses a forged token at the handshake and closes the connection', async () => {
    const peer = open({ auth: { token: 'forged.token.value' } });
    const { event, data } = await peer.next();
    assert.equal(event, 'exception');
    assert.equal(data.code, 'invalid_token');
    assert.equal(await peer.closed, 'io server disconnect');
  });

  it('stops a socket at its next message once its session is signed out, and closes it', async () => {
    const login = await fetch(`${app.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'correct horse battery staple' }) });
    const cookie = login.headers.getSetCookie()[0].split(';', 1)[0];
    const { csrfToken } = await login.json();
    const peer = open({ extraHeaders: { cookie, origin: 'https://app.example.com' } });
    assert.deepEqual(await peer.ask('me'), { event: 'me', data: 'ada' });
    const logout = await fetch(`${app.url}/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } });
    assert.equal(logout.status, 204);
    const { data } = await peer.ask('me');
    assert.equal(data.code, 'invalid_session');
    assert.equal(await peer.closed, 'io server disconnect');
  });

  it('refuses the session cookie from another origin (cross-site WebSocket hijacking)', async () => {
    const peer = open({ extraHeaders: { cookie: credentials.cookie, origin: 'https://evil.example' } });
    const { data } = await peer.next();
    assert.equal(data.code, 'cross_site_request');
    await peer.closed;
  });
});
