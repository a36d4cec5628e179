import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { freePort, issueCredentials, startExample } from '../../support/context-example.mjs';

describe('microservice example (TCP) over the wire', () => {
  let app;
  let credentials;
  const clients = [];

  /** A TCP client whose every message carries `metadata` (Nest 12 packet metadata). */
  function client(metadata) {
    const proxy = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: app.rpcPort } });
    if (metadata) proxy.setOnDispatchHook((packet) => void (packet.metadata = metadata));
    clients.push(proxy);
    return proxy;
  }
  const send = (proxy, pattern, data = {}) => firstValueFrom(proxy.send(pattern, data));

  before(async () => {
    app = await startExample({ env: { RPC_PORT: String(await freePort()) } });
    credentials = await issueCredentials(app.url);
  });
  after(async () => {
    for (const proxy of clients) proxy.close();
    await app?.stop();
  });

  it('answers a public message, and refuses a protected one without a credential', async () => {
    assert.equal(await send(client(), 'health'), 'ok');
    await assert.rejects(send(client(), 'me'), { status: 'error', statusCode: 401, code: 'credentials_missing', message: 'Authentication is required.' });
    // A credential in the payload is not a credential.
    await assert.rejects(send(client(), 'me', { authorization: `Bearer ${credentials.token}` }), { code: 'credentials_missing' });
  });

  it('answers a bearer token and an API key in the metadata; refuses a forged token', async () => {
    assert.equal(await send(client({ authorization: `Bearer ${credentials.token}` }), 'me'), 'ada');
    assert.deepEqual(await send(client({ 'x-api-key': credentials.apiKey }), 'orders.list'), ['order-1 of ada']);
    await assert.rejects(send(client({ authorization: 'Bearer forged.token.value' }), 'me'), { statusCode: 401, code: 'invalid_token' });
  });

  it('ignores a session cookie (no ambient credentials outside a browser)', async () => {
    await assert.rejects(send(client({ cookie: credentials.cookie }), 'me'), { code: 'credentials_missing' });
  });

  it('refuses a missing scope with insufficient_scope', async () => {
    await assert.rejects(send(client({ authorization: `Bearer ${credentials.token}` }), 'orders.place', { item: 'tea' }), {
      status: 'error',
      statusCode: 403,
      code: 'insufficient_scope',
      scope: 'orders:write',
    });
  });

  it('refuses an API key once it is revoked', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${credentials.token}` };
    const created = await (await fetch(`${app.url}/api-keys`, { method: 'POST', headers, body: JSON.stringify({ name: 'doomed', scopes: ['orders:read'] }) })).json();
    const keyed = client({ 'x-api-key': created.key });
    assert.deepEqual(await send(keyed, 'orders.list'), ['order-1 of ada']);
    assert.equal((await fetch(`${app.url}/api-keys/${created.apiKey.id}`, { method: 'DELETE', headers })).status, 200);
    await assert.rejects(send(keyed, 'orders.list'), { statusCode: 401, code: 'invalid_api_key' });
  });
});
