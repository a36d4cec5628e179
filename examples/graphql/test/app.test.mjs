import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { issueCredentials, startExample } from '../../support/context-example.mjs';

describe('GraphQL example (Apollo) over the wire', () => {
  let app;
  let credentials;

  before(async () => {
    app = await startExample();
    credentials = await issueCredentials(app.url);
  });
  after(() => app?.stop());

  async function graphql(query, headers = {}) {
    const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    return response.json();
  }

  /** The refusal of an operation: a GraphQL error with gatehouse's code, never internal, never a stack. */
  async function refusal(query, headers) {
    const body = await graphql(query, headers);
    assert.equal(body.errors.length, 1);
    const [error] = body.errors;
    assert.notEqual(error.extensions.code, 'INTERNAL_SERVER_ERROR');
    assert.equal(error.extensions.stacktrace, undefined);
    return error.extensions;
  }

  it('answers a public query without a credential', async () => {
    assert.deepEqual(await graphql('{ health }'), { data: { health: 'ok' } });
  });

  it('refuses without a credential (UNAUTHENTICATED) and with a forged token', async () => {
    assert.deepEqual(await refusal('{ me }'), { code: 'UNAUTHENTICATED', gatehouseCode: 'credentials_missing', status: 401 });
    const forged = await refusal('{ me }', { authorization: 'Bearer forged.token.value' });
    assert.equal(forged.gatehouseCode, 'invalid_token');
  });

  it('answers a bearer token, a session cookie and an API key', async () => {
    assert.deepEqual(await graphql('{ me orders }', { authorization: `Bearer ${credentials.token}` }), { data: { me: 'ada', orders: ['order-1 of ada'] } });
    const session = { cookie: credentials.cookie, 'x-csrf-token': credentials.csrfToken };
    assert.deepEqual(await graphql('{ me }', session), { data: { me: 'ada' } });
    assert.deepEqual(await graphql('{ orders }', { 'x-api-key': credentials.apiKey }), { data: { orders: ['order-1 of ada'] } });
  });

  it('refuses a missing scope with FORBIDDEN insufficient_scope', async () => {
    assert.deepEqual(await refusal('{ placeOrderPreview }', { authorization: `Bearer ${credentials.token}` }), {
      code: 'FORBIDDEN',
      gatehouseCode: 'insufficient_scope',
      status: 403,
      scope: 'orders:write',
    });
  });

  it('authenticates a graphql-ws subscription from connectionParams, and refuses one without', async () => {
    const subscribe = (connectionParams) =>
      new Promise((resolve, reject) => {
        const client = createClient({ url: `${app.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
        let result;
        client.subscribe(
          { query: 'subscription { orderPlaced }' },
          {
            next: (value) => (result ??= value),
            error: (error) => (void client.dispose(), Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
            complete: () => (void client.dispose(), resolve(result)),
          },
        );
      });
    assert.deepEqual(await subscribe({ authorization: `Bearer ${credentials.token}` }), { data: { orderPlaced: 'order-2 of ada' } });
    const refused = await subscribe({});
    assert.equal(refused.errors[0].extensions.gatehouseCode, 'credentials_missing');
    assert.equal(refused.errors[0].extensions.code, 'UNAUTHENTICATED');
  });
});
