import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { decodeJwt } from 'jose';
import { GatehouseModule, ManualClock, type GatehouseRequest } from '@gatehouse/core';
import { AccessTokenVerifier, TokensModule } from '@gatehouse/tokens';
import { user, refusal } from '../test/api-keys-testing.js';
import { ApiKeysModule } from './api-keys.module.js';
import { ApiKeysService } from './api-keys.service.js';
import { apiKeysEntities } from './api-key.entity.js';
import { ClientCredentialsExchange } from './client-credentials.exchange.js';
import { ClientCredentialsModule } from './client-credentials.module.js';

type FormRequest = GatehouseRequest & { body?: unknown };

const form = (body: Record<string, unknown> | undefined, headers: GatehouseRequest['headers'] = {}): FormRequest => ({
  method: 'POST',
  url: '/oauth/token',
  ip: '203.0.113.1',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body,
});


describe('ClientCredentialsExchange', () => {
  let module: TestingModule;
  let exchange: ClientCredentialsExchange;
  let key: string;
  let keyId: string;
  const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));

  beforeAll(async () => {
    module = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', entities: apiKeysEntities, synchronize: true }),
        GatehouseModule.forRoot({ clock }),
        TokensModule.forRoot({ issuer: 'https://auth.test', audience: 'orders-api', acceptedAudiences: ['orders-api', 'billing-api'], refreshTokens: false }),
        ApiKeysModule.forRoot({ usageFlushTickMs: 0 }),
        ClientCredentialsModule.forRoot({ audiences: ['orders-api', 'billing-api'], defaultAudience: 'orders-api' }),
      ],
    }).compile();
    module.useLogger(false);
    await module.init();
    exchange = module.get(ClientCredentialsExchange);
    const issued = await module.get(ApiKeysService).create(user('alice'), { name: 'svc', scopes: ['orders:read', 'orders:write'] });
    key = issued.key;
    keyId = issued.apiKey.id;
  });
  afterAll(() => module.close());

  it('issues a service token: sub = owner, client_id = key id, all key scopes, default audience', async () => {
    const response = await exchange.exchange(form({ grant_type: 'client_credentials' }, { 'x-api-key': key }));
    expect(response).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'orders:read orders:write' });
    const claims = decodeJwt(response.access_token);
    expect(claims).toEqual(expect.objectContaining({ sub: 'alice', client_id: keyId, aud: 'orders-api', scope: 'orders:read orders:write', sid: `api-key:${keyId}` }));
    const principal = await module.get(AccessTokenVerifier).verify(response.access_token);
    expect(principal).toEqual(expect.objectContaining({ kind: 'service', subject: 'alice', scopes: ['orders:read', 'orders:write'] }));
  });

  it('narrows to the requested scopes and audience', async () => {
    const response = await exchange.exchange(form({ grant_type: 'client_credentials', scope: 'orders:read', audience: 'billing-api' }, { 'x-api-key': key }));
    expect(response.scope).toBe('orders:read');
    expect(decodeJwt(response.access_token).aud).toBe('billing-api');
  });

  it('accepts the key as the HTTP Basic password, with the key id as client_id', async () => {
    const basic = Buffer.from(`${keyId}:${key}`).toString('base64');
    const response = await exchange.exchange(form({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` }));
    expect(decodeJwt(response.access_token).client_id).toBe(keyId);
    const wrongId = Buffer.from(`someone-else:${key}`).toString('base64');
    expect((await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials' }, { authorization: `Basic ${wrongId}` })))).code).toBe(
      'invalid_client',
    );
  });

  it('accepts client_secret_post (client_id + client_secret in the form), RFC 8707 resource, and ignores unknown parameters', async () => {
    const response = await exchange.exchange(
      form({ grant_type: 'client_credentials', client_id: keyId, client_secret: key, resource: 'billing-api', nonce: ['x', 'y'], foo: 'bar' }),
    );
    expect(decodeJwt(response.access_token)).toMatchObject({ client_id: keyId, kind: 'service', aud: 'billing-api' });
    expect((await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials', client_id: 'other', client_secret: key })))).code).toBe('invalid_client');
    expect((await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials', client_id: keyId, client_secret: key }, { 'x-api-key': key })))).code).toBe(
      'invalid_request',
    );
    expect((await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials', resource: 'evil-api' }, { 'x-api-key': key })))).code).toBe('invalid_target');
  });

  it.each<[string, string, FormRequest]>([
    ['no grant_type', 'invalid_request', form({}, { 'x-api-key': 'k' })],
    ['another grant type', 'unsupported_grant_type', form({ grant_type: 'password' }, { 'x-api-key': 'k' })],
    ['a JSON body', 'invalid_request', { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/json' } }],
    ['a repeated parameter', 'invalid_request', form({ grant_type: ['client_credentials', 'client_credentials'] })],
    ['no client credential', 'invalid_client', form({ grant_type: 'client_credentials' })],
    ['an unknown key', 'invalid_client', form({ grant_type: 'client_credentials' }, { 'x-api-key': 'gh_live_nope' })],
    ['a bearer token', 'invalid_client', form({ grant_type: 'client_credentials' }, { authorization: 'Bearer abc' })],
    ['a client_secret without client_id', 'invalid_request', form({ grant_type: 'client_credentials', client_secret: 'x' })],
    ['a refresh grant without refresh_token', 'invalid_request', form({ grant_type: 'refresh_token' })],
  ])('answers %s with %s', async (_label, code, request) => {
    expect((await refusal(() => exchange.exchange(request))).code).toBe(code);
  });

  it('refuses scopes beyond the key and audiences off the list', async () => {
    const headers = { 'x-api-key': key };
    expect((await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials', scope: 'orders:read admin' }, headers)))).code).toBe(
      'invalid_scope',
    );
    // An empty parameter is an omitted one (RFC 6749 §3.2): all of the key's scopes.
    expect((await exchange.exchange(form({ grant_type: 'client_credentials', scope: '' }, headers))).scope).toBe('orders:read orders:write');
    expect((await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials', audience: 'evil-api' }, headers)))).code).toBe(
      'invalid_target',
    );
  });

  it('invalid_client carries a challenge for the scheme used', async () => {
    const error = await refusal(() => exchange.exchange(form({ grant_type: 'client_credentials' }, { 'x-api-key': 'gh_live_nope' })));
    expect(error.status).toBe(401);
    expect(error.details.headers).toEqual({ 'WWW-Authenticate': 'ApiKey realm="gatehouse", header="x-api-key"' });
  });

  it('revoking the key revokes the service tokens it minted', async () => {
    const issued = await module.get(ApiKeysService).create(user('bob'), { name: 'svc', scopes: ['orders:read'] });
    const { access_token } = await exchange.exchange(form({ grant_type: 'client_credentials' }, { 'x-api-key': issued.key }));
    const verifier = module.get(AccessTokenVerifier);
    expect((await verifier.verify(access_token)).subject).toBe('bob');
    await module.get(ApiKeysService).revoke(user('bob'), issued.apiKey.id);
    expect((await refusal(async () => verifier.verify(access_token))).code).toBe('token_revoked');
  });
});
