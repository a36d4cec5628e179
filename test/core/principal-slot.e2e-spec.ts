import { Controller, Get, Module, Req, type INestApplication } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { GatehouseModule, type Principal } from '@gatehouse/core';
import { ADAPTERS, createTinyApp } from '../support/adapters.js';
import { FakeMechanisms } from '../support/fake-mechanisms.js';
import { declarePrincipalSlot, setRequestPrincipal } from '@gatehouse/core/testing';

const principal: Principal = { kind: 'user', subject: 'u1', scopes: [], credential: { mechanism: 'jwt', id: 'j1' } };

describe('declarePrincipalSlot (Fastify)', () => {
  type SlotRequest = { principal?: Principal; user?: unknown };
  const next: Principal = { ...principal, subject: 'u2' };

  /** What a route sees after attaching `principal` (and, with `assign`, after code assigns `user` then attaches `next`). */
  const attachIn = (app: FastifyInstance, path: string, assign = false) =>
    app.get(path, async (request) => {
      const slot = request as unknown as SlotRequest;
      const bornWithSlot = Object.prototype.hasOwnProperty.call(request, 'principal');
      setRequestPrincipal(slot, principal);
      const first = { principal: slot.principal === principal, user: slot.user === principal };
      if (assign) {
        slot.user = { id: 'assigned' };
        const assigned = (slot.user as { id?: string }).id;
        setRequestPrincipal(slot, next);
        return { bornWithSlot, first, assigned, after: { principal: slot.principal === next, user: slot.user === next }, ownUser: Object.prototype.hasOwnProperty.call(request, 'user') };
      }
      return { bornWithSlot, first, ownUser: Object.prototype.hasOwnProperty.call(request, 'user') };
    });

  /** GET `path` from the listening app (light-my-request's `inject` does not load under jest's ESM mode). */
  const get = async (app: FastifyInstance, path: string): Promise<unknown> => {
    const { port } = app.server.address() as { port: number };
    return (await fetch(`http://127.0.0.1:${port}${path}`)).json();
  };
  const listen = (app: FastifyInstance) => app.listen({ port: 0, host: '127.0.0.1' });

  it('gives every request an own principal, set by one store, with user reading it', async () => {
    const app = Fastify();
    expect(declarePrincipalSlot(app)).toBe(true);
    attachIn(app, '/me', true);
    app.get('/empty', async (request) => ({ principal: (request as unknown as SlotRequest).principal ?? null, user: (request as unknown as SlotRequest).user ?? null }));
    await listen(app);
    expect(await get(app, '/me')).toEqual({
      bornWithSlot: true,
      first: { principal: true, user: true },
      assigned: 'assigned',
      // Attaching again makes user read as the newest principal, as on Express.
      after: { principal: true, user: true },
      ownUser: false,
    });
    // The next request starts empty.
    expect(await get(app, '/empty')).toEqual({ principal: null, user: null });
    await app.close();
  });

  it('keeps a principal decorator the app declared, and declares nothing once Fastify listens', async () => {
    const own = Fastify();
    own.decorateRequest('principal', null);
    expect(declarePrincipalSlot(own)).toBe(false);
    await own.close();
    const started = Fastify();
    await listen(started);
    expect(declarePrincipalSlot(started)).toBe(false);
    await started.close();
    expect(declarePrincipalSlot(undefined)).toBe(false);
    expect(declarePrincipalSlot({ use: () => undefined })).toBe(false);
  });

  it('leaves room for a plugin that declares user later, and serves contexts built before the slot', async () => {
    const app = Fastify();
    // A plugin context loaded before the declaration: its request class has no slot.
    await app.register(async (early) => {
      attachIn(early, '/early');
    });
    expect(declarePrincipalSlot(app)).toBe(true);
    // A plugin loaded afterwards may still declare `user` (passport-style plugins do).
    await app.register(async (late) => {
      late.decorateRequest('user', null);
      attachIn(late, '/late');
    });
    attachIn(app, '/root');
    await listen(app);
    expect(await get(app, '/early')).toEqual({ bornWithSlot: false, first: { principal: true, user: true }, ownUser: false });
    expect(await get(app, '/late')).toEqual({ bornWithSlot: true, first: { principal: true, user: true }, ownUser: true });
    expect(await get(app, '/root')).toEqual({ bornWithSlot: true, first: { principal: true, user: true }, ownUser: false });
    await app.close();
  });
});

@Controller()
class SlotController {
  @Get('me') me(@Req() req: { principal?: Principal; user?: Principal }) {
    return { own: Object.prototype.hasOwnProperty.call(req, 'principal'), principal: req.principal?.subject, user: req.user?.subject };
  }
}

@Module({ providers: [FakeMechanisms] })
class FakeMechanismsModule {}

describe.each(ADAPTERS)('GatehouseModule and the principal slot (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTinyApp(adapter, { imports: [GatehouseModule.forRoot({ realm: 'test' }), FakeMechanismsModule], controllers: [SlotController] });
  });
  afterAll(async () => {
    await app.close();
  });

  it(adapter === 'fastify' ? 'declares the slot: the principal is an own property of the request' : 'keeps the principal off the request object', async () => {
    const response = await request(app.getHttpServer()).get('/me').set('Authorization', 'Bearer good-jwt').expect(200);
    expect(response.body).toEqual({ own: adapter === 'fastify', principal: 'jwt-subject', user: 'jwt-subject' });
  });
});
