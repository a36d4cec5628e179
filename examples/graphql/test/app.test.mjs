import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { issueCredentials, startExample } from '../../support/context-example.mjs';
import { startIdentityProvider } from '../../support/identity-provider.mjs';

describe('GraphQL example (Apollo) over the wire', () => {
  let app;
  let credentials;
  let idp;

  before(async () => {
    idp = await startIdentityProvider();
    app = await startExample({ env: idp.env });
    credentials = await issueCredentials(app.url);
  });
  after(async () => {
    await app?.stop();
    await idp?.stop();
  });

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

  it("answers a third-party issuer's token on an any-of-scopes query, and refuses a forged one", async () => {
    const token = idp.mint({ permissions: ['reports:read'] });
    assert.deepEqual(await graphql('{ reports }', { authorization: `Bearer ${token}` }), { data: { reports: [`q3 for auth0|grace from ${idp.issuer}`] } });
    const forged = await refusal('{ reports }', { authorization: `Bearer ${idp.mint({ permissions: ['reports:read'] }, { alg: 'HS256' })}` });
    assert.deepEqual(forged, { code: 'UNAUTHENTICATED', gatehouseCode: 'invalid_token', status: 401 });
  });

  it('refuses a policy with FORBIDDEN and its own code, and answers the members it allows', async () => {
    const member = idp.mint({ org_id: 'org_acme' });
    assert.deepEqual(await graphql('{ billing }', { authorization: `Bearer ${member}` }), { data: { billing: 'enterprise plan of org_acme' } });
    for (const token of [credentials.token, idp.mint({ org_id: 'org_other' })]) {
      assert.deepEqual(await refusal('{ billing }', { authorization: `Bearer ${token}` }), { code: 'FORBIDDEN', gatehouseCode: 'organization_required', status: 403 });
    }
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
