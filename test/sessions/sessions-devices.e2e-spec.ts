import request from 'supertest';
import type { DeviceView } from '@gatehouse/sessions';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { asBrowser, issueTokens, LOGIN_LIMITS, login, PASSWORD, registerUser, sessionCookieOf } from './session-helpers.js';

const NEW_PASSWORD = 'a brand new passphrase 2026';

type Entry = DeviceView;

describe.each(ADAPTERS)('signed-in devices and password change (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: LOGIN_LIMITS });
  });
  afterAll(() => demo.close());

  const http = () => request(demo.http);
  const list = async (headers: Record<string, string>): Promise<Entry[]> => (await http().get('/auth/sessions').set(headers).expect(200)).body;
  const refresh = (refreshToken: string) => http().post('/auth/refresh').send({ refresh_token: refreshToken });

  it('lists sessions and refresh families with the current one marked, and never a secret', async () => {
    const user = await registerUser(demo);
    const laptop = await login(demo, user.email);
    await http().post('/auth/login').set('User-Agent', 'Phone/1.0').send({ email: user.email, password: PASSWORD }).expect(200);
    const tokens = await issueTokens(demo, user.email);
    const entries = await list({ Cookie: laptop.cookie });
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastSeenAt', 'type', 'userAgent']);
    }
    expect(entries.filter((e) => e.current)).toEqual([expect.objectContaining({ type: 'session' })]);
    expect(entries.filter((e) => e.type === 'refresh-family')).toHaveLength(1);
    expect(entries.map((e) => e.userAgent)).toContain('Phone/1.0');
    const body = JSON.stringify(entries);
    for (const secret of [laptop.secret, laptop.csrfToken, tokens.refreshToken, tokens.accessToken]) expect(body).not.toContain(secret);
    // A bearer caller sees the same list with its own refresh family marked current.
    const viaBearer = await list({ Authorization: `Bearer ${tokens.accessToken}` });
    expect(viaBearer.filter((e) => e.current)).toEqual([expect.objectContaining({ type: 'refresh-family' })]);
  });

  it('revokes one session, one refresh family, and nothing of another user (404)', async () => {
    const user = await registerUser(demo);
    const mine = await login(demo, user.email);
    const other = await login(demo, user.email);
    const tokens = await issueTokens(demo, user.email);
    const stranger = await login(demo, (await registerUser(demo, 'stranger')).email);
    const strangerId = (await list({ Cookie: stranger.cookie }))[0]!.id;
    const entries = await list({ Cookie: mine.cookie });
    const otherId = entries.find((e) => e.type === 'session' && !e.current)!.id;
    const familyId = entries.find((e) => e.type === 'refresh-family')!.id;

    await http().delete(`/auth/sessions/${otherId}`).set(asBrowser(mine)).expect(204);
    expect((await http().get('/me').set('Cookie', other.cookie).expect(401)).body.code).toBe('invalid_session');

    await http().delete(`/auth/sessions/${familyId}`).set(asBrowser(mine)).expect(204);
    expect((await refresh(tokens.refreshToken)).status).toBeGreaterThanOrEqual(400);
    await http().get('/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(401);

    for (const id of [strangerId, otherId, 'no-such-id', '00000000-0000-4000-8000-000000000000', 'x'.repeat(120)]) {
      const response = await http().delete(`/auth/sessions/${encodeURIComponent(id)}`).set(asBrowser(mine));
      expect([id, response.status]).toEqual([id, 404]);
    }
    // Fastify caps path parameters at 200 characters (414); either way a clean 4xx.
    expect([404, 414]).toContain((await http().delete(`/auth/sessions/${'x'.repeat(300)}`).set(asBrowser(mine))).status);
    await http().get('/me').set('Cookie', stranger.cookie).expect(200);
    await http().delete(`/auth/sessions/${otherId}`).set('Cookie', mine.cookie).expect(403);
  });

  it('revoking the current session signs the caller out', async () => {
    const user = await registerUser(demo);
    const browser = await login(demo, user.email);
    const [self] = await list({ Cookie: browser.cookie });
    const response = await http().delete(`/auth/sessions/${self!.id}`).set(asBrowser(browser)).expect(204);
    expect(sessionCookieOf(response)).toBe('__Host-session=');
    await http().get('/me').set('Cookie', browser.cookie).expect(401);
  });

  it('revoke-others ends every other session and refresh family, and keeps the caller', async () => {
    const user = await registerUser(demo);
    const keep = await login(demo, user.email);
    const others = [await login(demo, user.email), await login(demo, user.email)];
    const tokens = await issueTokens(demo, user.email);
    const bystander = await login(demo, (await registerUser(demo, 'bystander')).email);
    const response = await http().post('/auth/sessions/revoke-others').set(asBrowser(keep)).expect(200);
    expect(response.body).toEqual({ revoked: 3 });
    await http().get('/me').set('Cookie', keep.cookie).expect(200);
    for (const other of others) await http().get('/me').set('Cookie', other.cookie).expect(401);
    expect((await refresh(tokens.refreshToken)).status).toBeGreaterThanOrEqual(400);
    await http().get('/me').set('Cookie', bystander.cookie).expect(200);
    expect(await list({ Cookie: keep.cookie })).toEqual([expect.objectContaining({ current: true, type: 'session' })]);
  });

  describe('POST /auth/password', () => {
    it('requires a recent sign-in', async () => {
      const user = await registerUser(demo);
      const browser = await login(demo, user.email);
      demo.clock.advance(5 * 60_000 + 1000);
      const response = await http().post('/auth/password').set(asBrowser(browser)).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(401);
      expect(response.body.code).toBe('reauthentication_required');
      // Nothing changed: the old password still works.
      await login(demo, user.email, PASSWORD);
    });

    it('rotates the current session and ends every other session and refresh family', async () => {
      const user = await registerUser(demo);
      const other = await login(demo, user.email);
      const tokens = await issueTokens(demo, user.email);
      const current = await login(demo, user.email);
      const response = await http().post('/auth/password').set(asBrowser(current)).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(200);
      const rotated = sessionCookieOf(response);
      expect(rotated).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}$/);
      expect(rotated).not.toBe(current.cookie);
      expect(response.body.csrfToken).not.toBe(current.csrfToken);
      for (const dead of [current.cookie, other.cookie]) expect((await http().get('/me').set('Cookie', dead).expect(401)).body.code).toBe('invalid_session');
      expect((await refresh(tokens.refreshToken)).status).toBeGreaterThanOrEqual(400);
      await http().get('/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(401);
      // The new session works with its new token only.
      await http().post('/orders').set({ Cookie: rotated!, 'X-CSRF-Token': current.csrfToken }).send({ item: 'x', quantity: 1 }).expect(403);
      await http().post('/orders').set({ Cookie: rotated!, 'X-CSRF-Token': response.body.csrfToken }).send({ item: 'x', quantity: 1 }).expect(201);
      await http().post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
      await login(demo, user.email, NEW_PASSWORD);
    });

    it('refuses a wrong current password and changes nothing', async () => {
      const user = await registerUser(demo);
      const browser = await login(demo, user.email);
      const other = await login(demo, user.email);
      const response = await http().post('/auth/password').set(asBrowser(browser)).send({ currentPassword: 'not my password', newPassword: NEW_PASSWORD }).expect(403);
      expect(response.body.code).toBe('current_password_incorrect');
      await http().get('/me').set('Cookie', browser.cookie).expect(200);
      await http().get('/me').set('Cookie', other.cookie).expect(200);
    });

    it('validates the new password', async () => {
      const user = await registerUser(demo);
      const browser = await login(demo, user.email);
      const response = await http().post('/auth/password').set(asBrowser(browser)).send({ currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
      expect(response.body.code).toBe('validation_failed');
      expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
    });
  });
});
