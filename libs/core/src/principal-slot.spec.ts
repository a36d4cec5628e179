import type { Principal } from './principal.interface.js';
import { setRequestPrincipal } from './principal-slot.js';

const principal: Principal = { kind: 'user', subject: 'u1', scopes: [], credential: { mechanism: 'jwt', id: 'j1' } };

describe('setRequestPrincipal', () => {
  it('gives class-based requests principal and user without adding own properties', () => {
    class FrameworkRequest {
      headers = {};
    }
    const first = new FrameworkRequest() as FrameworkRequest & { principal?: Principal; user?: unknown };
    const second = new FrameworkRequest() as FrameworkRequest & { principal?: Principal; user?: unknown };
    setRequestPrincipal(first, principal);
    expect(first.principal).toBe(principal);
    expect(first.user).toBe(principal);
    expect(Object.keys(first)).toEqual(['headers']);
    expect(second.principal).toBeUndefined();
    // Passport-style code may still assign req.user; it reads back per request.
    second.user = { id: 'custom' };
    expect(second.user).toEqual({ id: 'custom' });
    expect(first.user).toBe(principal);
  });

  it('makes user read as the newest principal again once one is attached after an assignment', () => {
    class AppRequest {}
    const request = new AppRequest() as AppRequest & { principal?: Principal; user?: unknown };
    const other = new AppRequest() as AppRequest & { principal?: Principal; user?: unknown };
    setRequestPrincipal(request, principal);
    request.user = { id: 'assigned' };
    expect(request.user).toEqual({ id: 'assigned' });
    const next: Principal = { ...principal, subject: 'u2' };
    setRequestPrincipal(request, next);
    expect(request.principal).toBe(next);
    expect(request.user).toBe(next);
    // Another request of the same prototype gets its own slot.
    setRequestPrincipal(other, principal);
    expect(other.user).toBe(principal);
    expect(request.user).toBe(next);
  });

  it('uses plain properties on plain objects', () => {
    const request: { principal?: Principal; user?: unknown } = {};
    setRequestPrincipal(request, principal);
    expect(Object.keys(request).sort()).toEqual(['principal', 'user']);
  });

  it('leaves a prototype that already defines user alone', () => {
    class DecoratedRequest {
      user: unknown = null;
    }
    const request = new DecoratedRequest() as DecoratedRequest & { principal?: Principal };
    setRequestPrincipal(request, principal);
    expect(Object.prototype.hasOwnProperty.call(request, 'principal')).toBe(true);
    expect(request.user).toBe(principal);
  });

  it('treats a request whose prototype inherits a prepared one as a request of that prototype', () => {
    // Fastify's shape: a request class per plugin context, its prototype inheriting the root's.
    class RootRequest {}
    const ContextRequest = function ContextRequest(this: object) {} as unknown as new () => RootRequest;
    Object.setPrototypeOf(ContextRequest.prototype, RootRequest.prototype);
    type Slotted = RootRequest & { principal?: Principal; user?: unknown };
    const root = new RootRequest() as Slotted;
    const inherited = new ContextRequest() as Slotted;
    const enriched: Principal = { ...principal, subject: 'u3' };
    for (const request of [root, inherited]) {
      setRequestPrincipal(request, principal);
      expect(Object.keys(request)).toEqual([]);
      expect(request.user).toBe(principal);
      // Code after the guard replaces the principal: `user` follows, as nothing assigned `user` itself.
      request.principal = enriched;
      expect(request.principal).toBe(enriched);
      expect(request.user).toBe(enriched);
    }
    expect(Object.getOwnPropertyNames(ContextRequest.prototype)).toEqual(['constructor']);
  });
});
