import request from 'supertest';
import { GatehouseError } from '@gatehouse/core';
import { SessionService, type DeviceView } from '@gatehouse/sessions';
import { createKey, ROOMY_LIMITS, signUp, type SignedInUser } from '../api-keys/api-key-helpers.js';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { issueTokens, PASSWORD } from './session-helpers.js';

const NEW_PASSWORD = 'a brand new passphrase 2026';
const ALL_SCOPES = ['orders:read', 'orders:write', 'api-keys:manage'];

describe.each(ADAPTERS)('account security: only the account holder manages the account (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: ROOMY_LIMITS });
  });
  afterAll(() => demo.close());

  const http = () => request(demo.http);
  const devices = async (owner: SignedInUser): Promise<DeviceView[]> => (await http().get('/auth/sessions').set(owner.headers).expect(200)).body;
  /** A service token minted from one of `owner`'s keys, as anyone holding the key can. */
  const serviceToken = async (owner: SignedInUser, scopes = ALL_SCOPES): Promise<{ key: string; token: string }> => {
    const { key } = await createKey(demo, owner, { scopes });
    const response = await http().post('/oauth/token').type('form').set('X-API-Key', key).send({ grant_type: 'client_credentials' }).expect(200);
    return { key, token: response.body.access_token };
  };

  describe('a service token made from the owner’s API key', () => {
    let owner: SignedInUser;
    let bearer: Record<string, string>;

    beforeAll(async () => {
      owner = await signUp(demo);
      await issueTokens(demo, owner.email);
      bearer = { Authorization: `Bearer ${(await serviceToken(owner)).token}` };
    });

    it.each([
      ['read the devices (IPs, user agents)', () => http().get('/auth/sessions')],
      ['sign the owner out everywhere', () => http().post('/auth/sessions/revoke-others')],
      ['end one of the owner’s sessions', () => http().delete('/auth/sessions/00000000-0000-4000-8000-000000000000')],
      ['change the password', () => http().post('/auth/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })],
      ['create an API key', () => http().post('/api-keys').send({ name: 'minted', scopes: ['orders:read'] })],
      ['list the API keys', () => http().get('/api-keys')],
    ])('cannot %s: 403 user_principal_required', async (_label, call) => {
      const response = await call().set(bearer).expect(403);
      expect(response.body.code).toBe('user_principal_required');
    });

    it('leaves every session and refresh family of the owner alive', async () => {
      await http().post('/auth/sessions/revoke-others').set(bearer).expect(403);
      const entries = await devices(owner);
      expect(entries.map((entry) => entry.type).sort()).toEqual(['refresh-family', 'session']);
      await http().get('/me').set(owner.headers).expect(200);
    });
  });

  it('an API key itself is refused on every account route', async () => {
    const owner = await signUp(demo);
    const { key } = await serviceToken(owner);
    for (const call of [http().get('/auth/sessions'), http().post('/auth/sessions/revoke-others'), http().get('/api-keys')]) {
      const response = await call.set('X-API-Key', key);
      expect([401, 403]).toContain(response.status);
    }
    expect((await devices(owner)).length).toBe(1);
  });

  it('a user token narrowed to fewer scopes cannot manage the account: 403 narrowed_credential', async () => {
    const owner = await signUp(demo);
    const { refreshToken } = await issueTokens(demo, owner.email);
    const narrowed = await http().post('/auth/refresh').send({ refresh_token: refreshToken, scope: 'orders:read' }).expect(200);
    expect(narrowed.body.scope).toBe('orders:read');
    const headers = { Authorization: `Bearer ${narrowed.body.access_token}` };
    for (const call of [http().get('/auth/sessions'), http().post('/auth/sessions/revoke-others'), http().post('/auth/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })]) {
      const response = await call.set(headers).expect(403);
      expect(response.body.code).toBe('narrowed_credential');
    }
    await http().get('/orders').set(headers).expect(200);
    // The full token of the same user may.
    const full = await issueTokens(demo, owner.email);
    await http().get('/auth/sessions').set({ Authorization: `Bearer ${full.accessToken}` }).expect(200);
  });

  describe('password change and API keys', () => {
    it('revokes every active key by default and lists them', async () => {
      const owner = await signUp(demo);
      const planted = await createKey(demo, owner, { name: 'planted by a hijacker' });
      const response = await http().post('/auth/password').set(owner.headers).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(200);
      expect(response.body.revokedApiKeys.map((key: { id: string }) => key.id)).toEqual([planted.id]);
      expect(response.body.revokedApiKeys[0].status).toBe('revoked');
      expect(response.body.keptApiKeys).toEqual([]);
      expect(JSON.stringify(response.body)).not.toContain(planted.key);
      expect((await http().get('/me').set('X-API-Key', planted.key).expect(401)).body.code).toBe('invalid_api_key');
    });

    it('keeps exactly the keys the request names, and says so', async () => {
      const owner = await signUp(demo);
      const ci = await createKey(demo, owner, { name: 'ci' });
      const unknown = await createKey(demo, owner, { name: 'unknown' });
      const response = await http()
        .post('/auth/password')
        .set(owner.headers)
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, keepApiKeys: [ci.id] })
        .expect(200);
      expect(response.body.keptApiKeys.map((key: { id: string }) => key.id)).toEqual([ci.id]);
      expect(response.body.revokedApiKeys.map((key: { id: string }) => key.id)).toEqual([unknown.id]);
      await http().get('/me').set('X-API-Key', ci.key).expect(200);
      await http().get('/me').set('X-API-Key', unknown.key).expect(401);
    });

    it('refuses a malformed keepApiKeys with 400 and changes nothing', async () => {
      const owner = await signUp(demo);
      const key = await createKey(demo, owner);
      const response = await http().post('/auth/password').set(owner.headers).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, keepApiKeys: 'all' }).expect(400);
      expect(response.body.code).toBe('validation_failed');
      await http().get('/me').set('X-API-Key', key.key).expect(200);
      await http().post('/auth/login').send({ email: owner.email, password: PASSWORD }).expect(200);
    });

    it('a wrong current password revokes nothing', async () => {
      const owner = await signUp(demo);
      const key = await createKey(demo, owner);
      const response = await http().post('/auth/password').set(owner.headers).send({ currentPassword: 'not the password at all', newPassword: NEW_PASSWORD }).expect(403);
      expect(response.body.code).toBe('current_password_incorrect');
      await http().get('/me').set('X-API-Key', key.key).expect(200);
    });
  });

  it('session rotation is atomic: of two concurrent rotations exactly one wins', async () => {
    const owner = await signUp(demo);
    const sessions = demo.app.get(SessionService);
    const [current] = await sessions.list(owner.id);
    const outcomes = await Promise.allSettled([sessions.rotate(current!.id), sessions.rotate(current!.id)]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(GatehouseError);
    expect((lost[0]!.reason as GatehouseError).code).toBe('invalid_session');
    expect(await sessions.list(owner.id)).toHaveLength(1);
    await http().get('/me').set(owner.headers).expect(401);
  });
});
