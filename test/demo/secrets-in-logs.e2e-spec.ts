import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, type RunningDemo } from '../support/demo.js';
import { asBrowser, issueTokens, LOGIN_LIMITS, login, PASSWORD, registerUser } from '../sessions/session-helpers.js';

const NEW_PASSWORD = 'another long passphrase 2026';

// Every kind of secret the demo handles goes through its ordinary paths and its error paths at the
// most verbose log level; none may appear in any log line or in any error body.
describe.each(ADAPTERS)('secrets never reach logs or error bodies (%s)', (adapter) => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo(adapter, { env: { ...LOGIN_LIMITS, LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('logs no password, token, session id, CSRF token or API key', async () => {
    const http = () => request(demo.http);
    const errorBodies: string[] = [];
    const keepError = (response: request.Response) => {
      if (response.status >= 400) errorBodies.push(JSON.stringify(response.body));
      return response;
    };

    const { email } = await registerUser(demo, 'secrets');
    const { accessToken, refreshToken } = await issueTokens(demo, email);
    const refreshed = await http().post('/auth/refresh').send({ refresh_token: refreshToken }).expect(200);
    keepError(await http().post('/auth/refresh').send({ refresh_token: refreshToken })); // reuse: family revoked
    const browser = await login(demo, email);
    await http().get('/me').set('Cookie', browser.cookie).expect(200);
    keepError(await http().post('/orders').set('Cookie', browser.cookie).set('X-CSRF-Token', `${browser.csrfToken}x`).send({ item: 'a', quantity: 1 }));
    const created = await http()
      .post('/api-keys')
      .set(asBrowser(browser))
      .send({ name: 'ci', scopes: ['orders:read'] })
      .expect(201);
    const apiKey: string = created.body.key;
    await http().get('/orders').set('X-API-Key', apiKey).expect(200);
    keepError(await http().get(`/orders?api_key=${apiKey}`));
    keepError(await http().get(`/orders/${apiKey}`));
    keepError(await http().get('/me').set('X-API-Key', `${apiKey.slice(0, -1)}0`));
    keepError(await http().get('/me').set('Authorization', `Bearer ${accessToken}x`));
    keepError(await http().post('/auth/token').send({ email, password: `${PASSWORD}-wrong` }));
    keepError(await http().post('/auth/register').send({ email: 'not-an-email', password: PASSWORD }));
    keepError(await http().post('/auth/register').send({ email: 'x@example.com', password: PASSWORD, token: accessToken }));
    await http().post('/auth/password').set(asBrowser(browser)).send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect((response) => {
      expect(response.status).toBeLessThan(300);
    });

    const secrets = {
      password: PASSWORD,
      newPassword: NEW_PASSWORD,
      accessToken,
      accessTokenSignature: accessToken.split('.')[2],
      refreshToken,
      rotatedRefreshToken: refreshed.body.refresh_token as string,
      sessionId: browser.secret,
      csrfToken: browser.csrfToken,
      apiKey,
    };
    const logs = demo.logs.join('\n');
    expect(demo.logs.length).toBeGreaterThan(20);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length).toBeGreaterThan(10);
      expect({ name, inLogs: logs.includes(secret) }).toEqual({ name, inLogs: false });
      expect({ name, inErrors: errorBodies.some((body) => body.includes(secret)) }).toEqual({ name, inErrors: false });
    }
  });

  it('redacts a percent-encoded API key and tokens under every secret-bearing query name from the request log', async () => {
    const browser = await login(demo, (await registerUser(demo, 'encoded')).email);
    const created = await request(demo.http).post('/api-keys').set(asBrowser(browser)).send({ name: 'ci', scopes: ['orders:read'] }).expect(201);
    const apiKey: string = created.body.key;
    const { accessToken, refreshToken } = await issueTokens(demo, (await registerUser(demo, 'encoded')).email);
    const prefix = 'gh_live_';
    const encodedKey = `${prefix}%${apiKey.charCodeAt(prefix.length).toString(16).toUpperCase()}${apiKey.slice(prefix.length + 1)}`;
    const tail = apiKey.slice(prefix.length + 1);
    await request(demo.http).get(`/orders?q=${encodedKey}`).set('Cookie', browser.cookie);
    for (const name of ['access_token', 'refresh_token', 'jwt', 'session_id', 'token', 'code', 'client_secret']) {
      await request(demo.http).get(`/orders?${name}=${name.includes('refresh') ? refreshToken : accessToken}&page=2`);
    }
    await request(demo.http).get(`/orders?session_id=${browser.secret}`);
    const logs = demo.logs.join('\n');
    expect(logs).toContain('/orders?q=[REDACTED]');
    expect(logs).toContain('/orders?jwt=[REDACTED]&page=2');
    for (const [name, secret] of Object.entries({ tail, accessTokenSignature: accessToken.split('.')[2] as string, refreshToken, sessionId: browser.secret })) {
      expect({ name, inLogs: logs.includes(secret) }).toEqual({ name, inLogs: false });
    }
  });
});
