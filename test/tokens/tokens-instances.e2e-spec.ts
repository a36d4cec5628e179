import request from 'supertest';
import { ADAPTERS } from '../support/adapters.js';
import { startDemo, startSibling, type RunningDemo } from '../support/demo.js';
import { eventually, LOGIN_LIMITS, me, refresh, signIn } from './token-helpers.js';

describe.each(ADAPTERS)('tokens across a restart (%s)', (adapter) => {
  it('keeps access and refresh tokens valid: the signing key and refresh secret live in the data folder', async () => {
    const first = await startDemo(adapter, { env: LOGIN_LIMITS });
    const tokens = await signIn(first);
    const rotated = (await refresh(first, tokens.refresh_token).expect(200)).body;
    await first.close({ keepDatabase: true });

    const second = await startSibling(first, LOGIN_LIMITS);
    try {
      await me(second, rotated.access_token).expect(200);
      // A duplicate of the last refresh, within the leeway, re-derives the same successor after the restart.
      first.clock.advance(1_000);
      expect((await refresh(second, tokens.refresh_token).expect(200)).body.refresh_token).toBe(rotated.refresh_token);
      await refresh(second, rotated.refresh_token).expect(200);
    } finally {
      await second.close();
    }
  });
});

// Two instances on one database and one Redis: a revocation on one is honoured by the other
// within a second, although the other had the token in its verified-token cache.
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

withRedis.each(ADAPTERS)('token revocation across two instances sharing Redis (%s)', (adapter) => {
  let a: RunningDemo;
  let b: RunningDemo;

  beforeAll(async () => {
    a = await startDemo(adapter, { env: LOGIN_LIMITS });
    b = await startSibling(a, LOGIN_LIMITS);
  });
  afterAll(async () => {
    await b?.close({ keepDatabase: true });
    await a?.close();
  });

  const servedBy = async (instance: RunningDemo, token: string): Promise<boolean> => (await me(instance, token)).status === 200;

  it('refuses on B, within a second, the access tokens of a family whose reuse A detected', async () => {
    const tokens = await signIn(a);
    await me(b, tokens.access_token).expect(200); // now cached on B
    await refresh(a, tokens.refresh_token).expect(200);
    a.clock.advance(3_000);
    await refresh(a, tokens.refresh_token).expect(400); // reuse: invalid_grant (RFC 6749 §5.2)
    const waited = await eventually(async () => !(await servedBy(b, tokens.access_token)), 1_000);
    expect(waited).toBeLessThan(1_000);
    expect((await me(b, tokens.access_token).expect(401)).body.code).toBe('token_revoked');
  });

  it('refuses on A, within a second, every token of a subject after a password change on B', async () => {
    const tokens = await signIn(a);
    await me(a, tokens.access_token).expect(200);
    await request(b.http)
      .post('/auth/password')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ currentPassword: 'correct horse battery staple', newPassword: 'an even better passphrase' })
      .expect(200);
    await eventually(async () => !(await servedBy(a, tokens.access_token)), 1_000);
    expect((await me(a, tokens.access_token).expect(401)).body.code).toBe('token_revoked');
    expect((await refresh(a, tokens.refresh_token).expect(400)).body.code).toBe('invalid_grant');
  });
});
