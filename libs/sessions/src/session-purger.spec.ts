import { createSessionsTestContext, type SessionsTestContext } from '../test/sessions-testing-module.js';
import { SessionPurger } from './session-purger.js';
import type { SessionStore } from './session-store.interface.js';

const DAY = 86_400_000;

describe('SessionPurger', () => {
  let ctx: SessionsTestContext;
  beforeEach(async () => {
    ctx = await createSessionsTestContext({ purgeBatchSize: 2, maxSessionsPerSubject: 100 });
  });
  afterEach(() => ctx.close());

  it('deletes expired sessions in batches and keeps live ones', async () => {
    for (let i = 0; i < 5; i++) await ctx.sessions.login(`idle-${i}`, []);
    ctx.clock.advance(2 * DAY);
    const live = await ctx.sessions.login('live', []);
    ctx.clock.advance(1.5 * DAY);
    const batches: number[] = [];
    const purge = ctx.store.purgeExpired.bind(ctx.store);
    (ctx.store as { purgeExpired: SessionStore['purgeExpired'] }).purgeExpired = async (now, limit) => {
      const deleted = await purge(now, limit);
      batches.push(deleted);
      return deleted;
    };
    expect(await ctx.moduleRef.get(SessionPurger).purgeExpired()).toBe(5);
    expect(batches).toEqual([2, 2, 1]);
    expect((await ctx.rows.find()).map((row) => row.id)).toEqual([live.id]);
  });

  it('purges sessions past their absolute lifetime even if recently used', async () => {
    const issued = await ctx.sessions.login('user', []);
    for (let day = 0; day < 7; day++) {
      ctx.clock.advance(DAY);
      await ctx.store.touch(issued.id, ctx.clock.now(), Math.min(ctx.clock.now() + 3 * DAY, issued.absoluteExpiresAt));
    }
    expect(await ctx.moduleRef.get(SessionPurger).purgeExpired()).toBe(1);
    expect(await ctx.rows.count()).toBe(0);
  });

  it('does nothing when nothing expired', async () => {
    await ctx.sessions.login('user', []);
    expect(await ctx.moduleRef.get(SessionPurger).purgeExpired()).toBe(0);
    expect(await ctx.rows.count()).toBe(1);
  });
});
