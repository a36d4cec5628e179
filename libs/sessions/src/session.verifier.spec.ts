import { code, createSessionsTestContext, type SessionsTestContext } from '../test/sessions-testing-module.js';
import { RevocationStore, sessionRevocationKey } from '@gatehouse/core';
import { hashSessionSecret } from './session-secret.js';
import type { SessionStore } from './session-store.interface.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Counts the store calls the verifier makes. */
function countCalls(store: SessionStore): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const method of ['findByHash', 'touch', 'delete'] as const) {
    const original = store[method].bind(store) as (...args: unknown[]) => unknown;
    counts[method] = 0;
    (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      counts[method]!++;
      return original(...args);
    };
  }
  return counts;
}

describe('SessionVerifier', () => {
  let ctx: SessionsTestContext;
  afterEach(() => ctx.close());

  describe('with defaults (idle 3 days, absolute 7 days)', () => {
    beforeEach(async () => {
      ctx = await createSessionsTestContext();
    });

    it('refuses garbage without touching the database', async () => {
      const calls = countCalls(ctx.store);
      for (const garbage of ['', 'x', 'A'.repeat(42), 'A'.repeat(44), '%00'.repeat(20), '!'.repeat(43), 'é'.repeat(43)]) {
        expect(await code(ctx.verifier.verify(garbage))).toBe('invalid_session');
      }
      expect(calls.findByHash).toBe(0);
    });

    it('refuses a well-formed secret that was never issued', async () => {
      expect(await code(ctx.verifier.verify('A'.repeat(43)))).toBe('invalid_session');
    });

    it('marks garbage as malformed (counted without I/O), and an unknown well-formed secret, even a remembered one, not', async () => {
      expect(ctx.verifier.check('x')).toMatchObject({ code: 'invalid_session', malformed: true });
      for (let i = 0; i < 2; i++) {
        const refused = await Promise.resolve(ctx.verifier.check('C'.repeat(43))).catch((error: unknown) => error);
        expect(refused).toMatchObject({ code: 'invalid_session', malformed: false });
      }
    });

    it('remembers an unknown id briefly: a repeated random cookie costs one database read per 5 s', async () => {
      const calls = countCalls(ctx.store);
      for (let i = 0; i < 20; i++) expect(await code(ctx.verifier.verify('B'.repeat(43)))).toBe('invalid_session');
      expect(calls.findByHash).toBe(1);
      ctx.clock.advance(5_000);
      expect(await code(ctx.verifier.verify('B'.repeat(43)))).toBe('invalid_session');
      expect(calls.findByHash).toBe(2);
      // A different value is its own lookup; a real session is unaffected.
      expect(await code(ctx.verifier.verify('C'.repeat(43)))).toBe('invalid_session');
      expect(calls.findByHash).toBe(3);
      const issued = await ctx.sessions.login('user-1', []);
      expect(await ctx.verifier.verify(issued.secret)).toMatchObject({ id: issued.id });
    });

    it('serves repeated requests from the cache with no database read or write', async () => {
      const issued = await ctx.sessions.login('user-1', ['orders:read']);
      const calls = countCalls(ctx.store);
      for (let i = 0; i < 50; i++) {
        const session = await ctx.verifier.verify(issued.secret);
        expect(session).toMatchObject({ id: issued.id, subject: 'user-1', scopes: ['orders:read'] });
        ctx.clock.advance(1000);
      }
      expect(calls.findByHash).toBe(1);
      // 50 s of traffic: under one touch interval, so no write at all.
      expect(calls.touch).toBe(0);
    });

    it('writes the sliding expiry back at most once a minute', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      const calls = countCalls(ctx.store);
      for (let i = 0; i < 300; i++) {
        await ctx.verifier.verify(issued.secret);
        ctx.clock.advance(1000);
      }
      expect(calls.touch).toBe(4);
      const row = await ctx.rows.findOneByOrFail({ id: issued.id });
      expect(row.lastSeenAt).toBe(ctx.clock.now() - 60_000);
      expect(row.idleExpiresAt).toBe(row.lastSeenAt + 3 * DAY);
    });

    it('ends a session idle for longer than the idle timeout', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      ctx.clock.advance(3 * DAY - 1);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('ok');
      ctx.clock.advance(3 * DAY);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('session_expired');
      expect(await ctx.rows.countBy({ id: issued.id })).toBe(0);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('invalid_session');
    });

    it('slides while in use but never past the absolute lifetime', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      for (let day = 1; day < 7; day++) {
        ctx.clock.advance(DAY);
        expect([day, await code(ctx.verifier.verify(issued.secret))]).toEqual([day, 'ok']);
      }
      ctx.clock.advance(DAY - 1);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('ok');
      ctx.clock.advance(1);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('session_expired');
    });

    it('honours the idle expiry written by another instance (cache entries live at most cacheTtlMs)', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      await ctx.verifier.verify(issued.secret);
      // Another instance saw the session two days later and slid it.
      await ctx.store.touch(issued.id, ctx.clock.now() + 2 * DAY, ctx.clock.now() + 5 * DAY);
      ctx.clock.advance(4 * DAY);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('ok');
    });

    it('refuses a session revoked while an instance still caches it', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      await ctx.verifier.verify(issued.secret);
      await ctx.sessions.revoke('user-1', issued.id);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('invalid_session');
    });

    it('checks the revocation list for an entry a shared cache kept from before revocation keys were cached', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      await ctx.verifier.verify(issued.secret);
      const cacheKey = `session:${hashSessionSecret(issued.secret)}`;
      const { revocationKey, ...older } = ctx.cache.get<Record<string, unknown>>(cacheKey)!;
      expect(revocationKey).toBe(sessionRevocationKey(issued.id));
      ctx.cache.set(cacheKey, older, 60_000);
      expect((await ctx.verifier.verify(issued.secret)).id).toBe(issued.id);
      // Revoked on another instance: only the revocation list says so.
      await ctx.moduleRef.get<RevocationStore>(RevocationStore).revoke(sessionRevocationKey(issued.id), ctx.clock.now(), 60_000);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('invalid_session');
    });

    it('keeps serving when the activity write fails', async () => {
      const issued = await ctx.sessions.login('user-1', []);
      (ctx.store as { touch: SessionStore['touch'] }).touch = () => Promise.reject(new Error('database down'));
      ctx.clock.advance(2 * MINUTE);
      expect(await code(ctx.verifier.verify(issued.secret))).toBe('ok');
    });
  });

  it('applies configured timeouts', async () => {
    ctx = await createSessionsTestContext({ idleTimeoutMs: 15 * MINUTE, absoluteTimeoutMs: 8 * 60 * MINUTE });
    const issued = await ctx.sessions.login('user-1', []);
    ctx.clock.advance(14 * MINUTE);
    expect(await code(ctx.verifier.verify(issued.secret))).toBe('ok');
    ctx.clock.advance(15 * MINUTE);
    expect(await code(ctx.verifier.verify(issued.secret))).toBe('session_expired');
  });
});
