import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  allowInsecureRequests,
  ClientSecretBasic,
  ClientSecretPost,
  clientCredentialsGrant,
  discovery,
  None,
  refreshTokenGrant,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  tokenIntrospection,
  tokenRevocation,
  type ClientAuth,
  type Configuration,
} from 'openid-client';
import { ApiKeysService } from '@gatehouse/api-keys';
import type { Principal } from '@gatehouse/core';
import { ADAPTERS } from '../support/adapters.js';
import { freePort, startDemo, type RunningDemo } from '../support/demo.js';
import { DEMO_AUDIENCE, DEMO_CLIENT_ID } from '../../src/tokens/tokens-demo.module.js';
import { createKey, ROOMY_LIMITS, signUp } from '../api-keys/api-key-helpers.js';
import { PASSWORD, registerUser } from './token-helpers.js';

/** An RFC 8414 discovery of the demo, as a client configured only with the issuer URL would do it. */
function discover(demo: RunningDemo, clientId: string, auth: ClientAuth): Promise<Configuration> {
  return discovery(new URL(demo.url), clientId, undefined, auth, { execute: [allowInsecureRequests], algorithm: 'oauth2' });
}

/** The OAuth `error` an openid-client call failed with, and the HTTP status. */
async function oauthError(call: Promise<unknown>): Promise<{ error: string; status: number }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ResponseBodyError) return { error: error.error, status: error.status };
    // A 401 with a challenge surfaces as the challenge; the body still carries the RFC 6749 §5.2 error.
    if (error instanceof WWWAuthenticateChallengeError) return { error: ((await error.response.json()) as { error: string }).error, status: error.status };
    throw error;
  }
  throw new Error('the call succeeded');
}

describe.each(ADAPTERS)('real OAuth clients against the library endpoints, on a listening demo (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    const port = await freePort();
    demo = await startDemo(adapter, { port, env: { ...ROOMY_LIMITS, PUBLIC_ORIGIN: `http://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await demo?.close();
  });

  /** Signs a fresh user in with a password at `/auth/token`: the first-party client's refresh token. */
  async function userTokens(): Promise<{ access_token: string; refresh_token: string }> {
    const user = await registerUser(demo);
    const response = await fetch(`${demo.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; refresh_token: string };
  }

  const me = (token: string) => fetch(`${demo.url}/me`, { headers: { authorization: `Bearer ${token}` } });

  it('discovers the server through RFC 8414 metadata', async () => {
    const config = await discover(demo, DEMO_CLIENT_ID, None());
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: demo.url,
      token_endpoint: `${demo.url}/oauth/token`,
      jwks_uri: `${demo.url}/.well-known/jwks.json`,
      revocation_endpoint: `${demo.url}/auth/revoke`,
      introspection_endpoint: `${demo.url}/oauth/introspect`,
      grant_types_supported: ['refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    });
  });

  it('refreshes with refreshTokenGrant; a reuse is 400 invalid_grant and ends the sign-in', async () => {
    const config = await discover(demo, DEMO_CLIENT_ID, None());
    const first = await userTokens();
    const second = await refreshTokenGrant(config, first.refresh_token);
    expect(second.token_type).toBe('bearer');
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token)).toMatchObject({ client_id: DEMO_CLIENT_ID, kind: 'user' });
    expect((await me(second.access_token)).status).toBe(200);
    demo.clock.advance(3_000);
    expect(await oauthError(refreshTokenGrant(config, first.refresh_token))).toEqual({ error: 'invalid_grant', status: 400 });
    expect((await me(second.access_token)).status).toBe(401);
  });

  it('revokes a refresh token with tokenRevocation as the public client', async () => {
    const config = await discover(demo, DEMO_CLIENT_ID, None());
    const tokens = await userTokens();
    await tokenRevocation(config, tokens.refresh_token);
    expect((await me(tokens.access_token)).status).toBe(401);
    expect(await oauthError(refreshTokenGrant(config, tokens.refresh_token))).toEqual({ error: 'invalid_grant', status: 400 });
  });

  describe.each([
    ['client_secret_basic', ClientSecretBasic],
    ['client_secret_post', ClientSecretPost],
  ])('an API key as a confidential client (%s)', (_method, auth) => {
    it('gets a service token with clientCredentialsGrant, for the RFC 8707 resource it names', async () => {
      const owner = await signUp(demo);
      const { id, key } = await createKey(demo, owner, { scopes: ['orders:read'] });
      const config = await discover(demo, id, auth(key));
      const response = await clientCredentialsGrant(config, { scope: 'orders:read', resource: DEMO_AUDIENCE });
      expect(decodeJwt(response.access_token)).toMatchObject({ sub: owner.id, client_id: id, kind: 'service', aud: DEMO_AUDIENCE, scope: 'orders:read' });
      expect(await (await me(response.access_token)).json()).toMatchObject({ kind: 'service', subject: owner.id });
    });

    it('revokes its own service token with tokenRevocation; the next one still works', async () => {
      const owner = await signUp(demo);
      const { id, key } = await createKey(demo, owner, { scopes: ['orders:read'] });
      const config = await discover(demo, id, auth(key));
      const doomed = await clientCredentialsGrant(config);
      await tokenRevocation(config, doomed.access_token);
      const refused = await me(doomed.access_token);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { code: string }).code).toBe('token_revoked');
      const next = await clientCredentialsGrant(config);
      expect((await me(next.access_token)).status).toBe(200);
    });

    it('a wrong secret is 401 invalid_client, on the token and the revocation endpoint', async () => {
      const owner = await signUp(demo);
      const { id } = await createKey(demo, owner, { scopes: ['orders:read'] });
      const config = await discover(demo, id, auth(`gh_live_${'A'.repeat(49)}`));
      expect(await oauthError(clientCredentialsGrant(config))).toEqual({ error: 'invalid_client', status: 401 });
      expect(await oauthError(tokenRevocation(config, 'anything'))).toEqual({ error: 'invalid_client', status: 401 });
    });

    it('introspects for a resource server holding tokens:introspect (RFC 7662)', async () => {
      const owner = await signUp(demo);
      const creator: Principal = { kind: 'user', subject: owner.id, scopes: ['tokens:introspect'], credential: { mechanism: 'session', id: 'test' } };
      const issued = await demo.app.get(ApiKeysService).create(creator, { name: 'resource server', scopes: ['tokens:introspect'] });
      const config = await discover(demo, issued.apiKey.id, auth(issued.key));
      const tokens = await userTokens();
      const active = await tokenIntrospection(config, tokens.access_token);
      expect(active).toMatchObject({ active: true, client_id: DEMO_CLIENT_ID, aud: DEMO_AUDIENCE, token_type: 'Bearer', kind: 'user', scope: expect.any(String) });
      await tokenRevocation(await discover(demo, DEMO_CLIENT_ID, None()), tokens.refresh_token);
      expect(await tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
      expect(await tokenIntrospection(config, tokens.refresh_token)).toEqual({ active: false });
    });
  });

  it('verifies user and service tokens as a resource server with jose createRemoteJWKSet on the discovered jwks_uri', async () => {
    const config = await discover(demo, DEMO_CLIENT_ID, None());
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri as string));
    const tokens = await userTokens();
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: demo.url,
      audience: DEMO_AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
      requiredClaims: ['client_id', 'jti', 'scope', 'sid'],
      currentDate: new Date(demo.clock.now()),
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ client_id: DEMO_CLIENT_ID, kind: 'user' });
  });
});
