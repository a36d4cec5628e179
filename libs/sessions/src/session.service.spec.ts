import { code, createSessionsTestContext, type SessionsTestContext } from '../test/sessions-testing-module.js';
import { hashSessionSecret } from './session-secret.js';

const DAY = 24 * 3600_000;

describe('SessionService', () => {
  let ctx: SessionsTestContext;
  beforeEach(async () => {
    ctx = await createSessionsTestContext({ maxSessionsPerSubject: 3 });
  });
  afterEach(() => ctx.close());

  it('stores only the hash of a 256-bit secret, and a separate non-secret id', async () => {
    const issued = await ctx.sessions.login('user-1', ['orders:read'], { ip: '203.0.113.9', userAgent: 'Firefox' });
    expect(issued.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.secret, 'base64url')).toHaveLength(32);
    const rows = await ctx.rows.find();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashSessionSecret(issued.secret));
    expect(JSON.stringify(rows)).not.toContain(issued.secret);
    expect(JSON.stringify(rows)).not.toContain(issued.csrfToken);
    expect(rows[0]!.id).toBe(issued.id);
    expect(issued.id).not.toBe(issued.secret);
    expect(rows[0]).toMatchObject({ subject: 'user-1', scopes: 'orders:read', ip: '203.0.113.9', userAgent: 'Firefox' });
  });

  it('issues a different secret and CSRF token on every login', async () => {
    const a = await ctx.sessions.login('user-1', []);
    const b = await ctx.sessions.login('user-1', []);
    expect(a.secret).not.toBe(b.secret);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(ctx.sessions.csrfToken(a.secret)).toBe(a.csrfToken);
  });

  it('never adopts a cookie sent with login and ends it when it was a live session (fixation)', async () => {
    const before = await ctx.sessions.login('user-1', []);
    const after = await ctx.sessions.login('user-1', [], {}, before.secret);
    expect(after.secret).not.toBe(before.secret);
    expect(await code(ctx.verifier.verify(before.secret))).toBe('invalid_session');
    expect(await code(ctx.verifier.verify(after.secret))).toBe('ok');
    expect(ctx.events.some((e) => e.type === 'session.ended' && e.reason === 'replaced_at_login' && e.sessionId === before.id)).toBe(true);
  });

  it('reports a never-issued cookie presented at login', async () => {
    const planted = 'A'.repeat(43);
    const issued = await ctx.sessions.login('user-1', [], { ip: '198.51.100.7' }, [planted, 'garbage']);
    expect(issued.secret).not.toBe(planted);
    expect(ctx.events.filter((e) => e.type === 'session.unknown_cookie')).toHaveLength(2);
    expect(await ctx.rows.count()).toBe(1);
  });

  it('ends a session of another subject sent with login too', async () => {
    const other = await ctx.sessions.login('user-2', []);
    await ctx.sessions.login('user-1', [], {}, other.secret);
    expect(await code(ctx.verifier.verify(other.secret))).toBe('invalid_session');
  });

  it('evicts the oldest sessions beyond the cap, keeping the new one', async () => {
    const issued = [];
    for (let i = 0; i < 5; i++) {
      issued.push(await ctx.sessions.login('user-1', []));
      ctx.clock.advance(1000);
    }
    const live = (await ctx.sessions.list('user-1')).map((s) => s.id).sort();
    expect(live).toEqual([issued[2]!.id, issued[3]!.id, issued[4]!.id].sort());
    expect(await code(ctx.verifier.verify(issued[0]!.secret))).toBe('invalid_session');
    expect(await code(ctx.verifier.verify(issued[4]!.secret))).toBe('ok');
    expect(ctx.events.filter((e) => e.type === 'session.ended' && e.reason === 'evicted')).toHaveLength(2);
  });

  it('keeps the cap under parallel logins', async () => {
    await Promise.all(Array.from({ length: 12 }, () => ctx.sessions.login('user-1', [])));
    expect(await ctx.rows.countBy({ subject: 'user-1' })).toBeLessThanOrEqual(3);
  });

  it('counts the cap per subject', async () => {
    for (let i = 0; i < 3; i++) await ctx.sessions.login('user-1', []);
    await ctx.sessions.login('user-2', []);
    expect(await ctx.rows.countBy({ subject: 'user-1' })).toBe(3);
    expect(await ctx.rows.countBy({ subject: 'user-2' })).toBe(1);
  });

  it('rotates: new secret, id and CSRF token; the old one is dead; scopes may change', async () => {
    const first = await ctx.sessions.login('user-1', ['a']);
    await ctx.verifier.verify(first.secret); // cached
    ctx.clock.advance(DAY);
    const second = await ctx.sessions.rotate(first.id, { scopes: ['a', 'admin'] });
    expect(second.id).not.toBe(first.id);
    expect(second.secret).not.toBe(first.secret);
    expect(second.csrfToken).not.toBe(first.csrfToken);
    expect(second.absoluteExpiresAt).toBe(first.absoluteExpiresAt);
    expect(second.authTime).toBe(first.authTime);
    expect(await code(ctx.verifier.verify(first.secret))).toBe('invalid_session');
    expect((await ctx.verifier.verify(second.secret)).scopes).toEqual(['a', 'admin']);
  });

  it('gives a re-authenticated rotation a fresh lifetime and auth time', async () => {
    const first = await ctx.sessions.login('user-1', []);
    ctx.clock.advance(DAY);
    const second = await ctx.sessions.rotate(first.id, { authTime: ctx.clock.now() });
    expect(second.authTime).toBe(ctx.clock.now());
    expect(second.absoluteExpiresAt).toBe(ctx.clock.now() + 7 * DAY);
  });

  it('lets exactly one of two concurrent rotations of one session win', async () => {
    const first = await ctx.sessions.login('user-1', ['a']);
    const outcomes = await Promise.all([code(ctx.sessions.rotate(first.id)), code(ctx.sessions.rotate(first.id))]);
    expect(outcomes.sort()).toEqual(['invalid_session', 'ok']);
    expect(await ctx.rows.countBy({ subject: 'user-1' })).toBe(1);
    expect(ctx.events.filter((event) => event.type === 'session.rotated')).toHaveLength(1);
  });

  it('refuses to rotate a session that no longer exists', async () => {
    expect(await code(ctx.sessions.rotate('00000000-0000-4000-8000-000000000000'))).toBe('invalid_session');
  });

  it('destroys at once, even when the session is cached', async () => {
    const issued = await ctx.sessions.login('user-1', []);
    await ctx.verifier.verify(issued.secret);
    expect(await ctx.sessions.destroy(issued.id)).toBe(true);
    expect(await code(ctx.verifier.verify(issued.secret))).toBe('invalid_session');
    expect(await ctx.sessions.destroy(issued.id)).toBe(false);
  });

  it('lists live sessions without secrets, and revokes only the subject’s own', async () => {
    const mine = await ctx.sessions.login('user-1', [], { userAgent: 'UA-1', ip: '192.0.2.1' });
    const theirs = await ctx.sessions.login('user-2', []);
    const list = await ctx.sessions.list('user-1');
    expect(list).toEqual([
      expect.objectContaining({ id: mine.id, userAgent: 'UA-1', ip: '192.0.2.1', createdAt: ctx.clock.now(), lastSeenAt: ctx.clock.now() }),
    ]);
    expect(JSON.stringify(list)).not.toContain(mine.secret);
    expect(JSON.stringify(list)).not.toContain(hashSessionSecret(mine.secret));
    expect(await ctx.sessions.revoke('user-1', theirs.id)).toBe(false);
    expect(await code(ctx.verifier.verify(theirs.secret))).toBe('ok');
    expect(await ctx.sessions.revoke('user-1', mine.id)).toBe(true);
    expect(await code(ctx.verifier.verify(mine.secret))).toBe('invalid_session');
  });

  it('revokes all other sessions of the subject, or all of them', async () => {
    const a = await ctx.sessions.login('user-1', []);
    const b = await ctx.sessions.login('user-1', []);
    const c = await ctx.sessions.login('user-1', []);
    const other = await ctx.sessions.login('user-2', []);
    expect(await ctx.sessions.revokeOthers('user-1', b.id)).toBe(2);
    expect(await code(ctx.verifier.verify(a.secret))).toBe('invalid_session');
    expect(await code(ctx.verifier.verify(c.secret))).toBe('invalid_session');
    expect(await code(ctx.verifier.verify(b.secret))).toBe('ok');
    expect(await ctx.sessions.revokeAll('user-1')).toBe(1);
    expect(await code(ctx.verifier.verify(b.secret))).toBe('invalid_session');
    expect(await code(ctx.verifier.verify(other.secret))).toBe('ok');
  });

  it('truncates an oversized user agent', async () => {
    await ctx.sessions.login('user-1', [], { userAgent: 'x'.repeat(5000) });
    expect((await ctx.rows.findOneByOrFail({ subject: 'user-1' })).userAgent).toHaveLength(512);
  });
});
