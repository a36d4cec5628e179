import { ManualClock, type GatehouseRequest } from '@gatehouse/core';
import type { IssuedSession } from './session.interfaces.js';
import { SessionCookie } from './session-cookie.js';
import { resolveSessionsOptions, type SessionsModuleOptions } from './sessions-options.interface.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');

function cookieJar(options: SessionsModuleOptions = {}): { cookie: SessionCookie; written: string[]; response: unknown } {
  const written: string[] = [];
  const response = {
    getHeader: () => (written.length ? [...written] : undefined),
    setHeader: (_name: string, value: string[]) => written.splice(0, written.length, ...value),
  };
  return { cookie: new SessionCookie(resolveSessionsOptions(options), new ManualClock(NOW)), written, response };
}

const issued = { secret: 'S'.repeat(43), absoluteExpiresAt: NOW + 7 * 86_400_000 } as IssuedSession;
const req = (cookie?: string): GatehouseRequest => ({ method: 'GET', url: '/', headers: cookie === undefined ? {} : { cookie } });

describe('SessionCookie', () => {
  it('writes a __Host- cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, Max-Age = absolute lifetime', () => {
    const { cookie, written, response } = cookieJar();
    cookie.write(response, issued);
    expect(written).toEqual([`__Host-session=${'S'.repeat(43)}; Path=/; Max-Age=604800; HttpOnly; Secure; SameSite=Lax`]);
    expect(written[0]).not.toMatch(/Domain/i);
  });

  it('writes a browser-session cookie when not persistent, and Strict on request', () => {
    const { cookie, written, response } = cookieJar({ persistentCookie: false, sameSite: 'Strict' });
    cookie.write(response, issued);
    expect(written[0]).toBe(`__Host-session=${'S'.repeat(43)}; Path=/; HttpOnly; Secure; SameSite=Strict`);
  });

  it('clears the cookie with the same attributes', () => {
    const { cookie, written, response } = cookieJar();
    cookie.clear(response);
    expect(written[0]).toBe('__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax');
  });

  it('refuses a __Host- name it could not set securely', () => {
    const { cookie, response } = cookieJar({ cookieName: '__Host-bad name' });
    expect(() => cookie.write(response, issued)).toThrow(TypeError);
  });

  it('reads one value; several values of the name are ambiguous (cookie tossing)', () => {
    const { cookie } = cookieJar();
    expect(cookie.read(req())).toEqual({ state: 'absent' });
    expect(cookie.read(req('other=1'))).toEqual({ state: 'absent' });
    expect(cookie.read(req('a=1; __Host-session=abc; b=2'))).toEqual({ state: 'present', secret: 'abc' });
    expect(cookie.read(req('__Host-session=abc; __Host-session=def'))).toEqual({ state: 'ambiguous' });
    expect(cookie.read(req('__Host-session=abc; __Host-session=abc'))).toEqual({ state: 'ambiguous' });
    // An unprefixed look-alike is a different cookie and is never read.
    expect(cookie.read(req('session=abc; __host-session=def'))).toEqual({ state: 'absent' });
  });
});
