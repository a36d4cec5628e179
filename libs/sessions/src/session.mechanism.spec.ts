import type { GatehouseRequest, MechanismRegistry, Principal, SecurityEvents } from '@gatehouse/core';
import type { CsrfProtection } from './csrf-protection.js';
import type { SessionCookie } from './session-cookie.js';
import type { ActiveSession } from './session.interfaces.js';
import { SessionMechanism } from './session.mechanism.js';
import type { SessionVerifier } from './session.verifier.js';

const HOUR = 3_600_000;

function mechanismFor(session: ActiveSession, Mechanism: typeof SessionMechanism = SessionMechanism): SessionMechanism {
  const verifier = { check: () => session } as unknown as SessionVerifier;
  const csrf = { verify: () => undefined, checkHandshake: () => undefined } as unknown as CsrfProtection;
  return new Mechanism({} as MechanismRegistry, {} as SessionCookie, verifier, csrf, {} as SecurityEvents);
}

const request: GatehouseRequest = { method: 'GET', url: '/me', headers: {} };

describe('SessionMechanism principals', () => {
  const session = (): ActiveSession => ({
    id: 'sid-1',
    subject: 'user-1',
    scopes: ['orders:read'],
    authTime: 1_000,
    lastSeenAt: 1_000,
    idleExpiresAt: 1_000 + HOUR,
    absoluteExpiresAt: 1_000 + 12 * HOUR,
  });

  it('builds the principal of a cached session once, frozen, and again when its expiry slides', () => {
    const active = session();
    const mechanism = mechanismFor(active);
    const first = mechanism.authenticate('secret', request) as Principal;
    expect(mechanism.authenticate('secret', request)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.credential)).toBe(true);
    expect(first.credential).toMatchObject({ mechanism: 'session', id: 'sid-1', sessionId: 'sid-1', authTime: 1_000, expiresAt: 1_000 + HOUR });
    // A touch slides the idle expiry of the cached session object.
    active.idleExpiresAt += HOUR;
    const slid = mechanism.authenticate('secret', request) as Principal;
    expect(slid).not.toBe(first);
    expect(slid.credential.expiresAt).toBe(1_000 + 2 * HOUR);
    // Another session object (a reload from the store) gets its own principal.
    expect(mechanismFor(session()).authenticate('secret', request)).not.toBe(first);
  });

  it('calls an overridden toPrincipal on every request, as before', () => {
    let calls = 0;
    class AuditedSessions extends SessionMechanism {
      protected override toPrincipal(active: ActiveSession): Principal {
        calls += 1;
        return { ...super.toPrincipal(active), claims: { call: calls } };
      }
    }
    const mechanism = mechanismFor(session(), AuditedSessions);
    const first = mechanism.authenticate('secret', request) as Principal;
    const second = mechanism.authenticate('secret', request) as Principal;
    expect(calls).toBe(2);
    expect([first.claims, second.claims]).toEqual([{ call: 1 }, { call: 2 }]);
    expect(Object.isFrozen(first)).toBe(false);
  });
});
