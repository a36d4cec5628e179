import { appendSetCookie, readCookies, serializeCookie } from './cookies.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';

const withCookie = (cookie: string | undefined): GatehouseRequest => ({ headers: { cookie }, method: 'GET', url: '/' });

describe('readCookies', () => {
  it('returns every value of the named cookie, so a shadowing duplicate is visible', () => {
    expect(readCookies(withCookie('a=1; __Host-session=abc; b=2'), '__Host-session')).toEqual(['abc']);
    expect(readCookies(withCookie('__Host-session=abc; __Host-session=evil'), '__Host-session')).toEqual(['abc', 'evil']);
  });

  it('does not match a cookie whose name merely contains the wanted one', () => {
    expect(readCookies(withCookie('x__Host-session=abc; __Host-session2=def'), '__Host-session')).toEqual([]);
  });

  it('reads exactly what splitting the header on ";" and trimming each name and value reads', () => {
    const reference = (header: string, name: string) =>
      header.split(';').flatMap((pair) => {
        const eq = pair.indexOf('=');
        return eq >= 0 && pair.slice(0, eq).trim() === name ? [pair.slice(eq + 1).trim()] : [];
      });
    const parts = ['sid', 'sid=1', ' sid = 2 ', 'xsid=3', 'sidx=4', 'a=sid=5', '\u00a0sid\t=\u30006', '=', ';', ' ', 'sid;', 'b=7', 'sid=', '\ufeffsid=8', 's\u2028id=9'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 2_000; i += 1) {
      const header = Array.from({ length: 1 + (next() % 6) }, () => parts[next() % parts.length]).join(next() % 2 === 0 ? ';' : '; ');
      expect([header, readCookies(withCookie(header), 'sid')]).toEqual([header, reference(header, 'sid')]);
    }
  });

  it('copes with missing, empty and malformed headers', () => {
    expect(readCookies(withCookie(undefined), 'sid')).toEqual([]);
    expect(readCookies(withCookie(''), 'sid')).toEqual([]);
    expect(readCookies(withCookie(';;=;sid;sid='), 'sid')).toEqual(['']);
  });
});

describe('serializeCookie', () => {
  it('writes the attributes in a fixed order', () => {
    expect(serializeCookie('__Host-session', 'abc', { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })).toBe(
      '__Host-session=abc; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('deletes with Max-Age=0 and a past Expires', () => {
    expect(serializeCookie('sid', '', { maxAge: 0, path: '/' })).toBe('sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('enforces the __Host- and __Secure- prefix rules', () => {
    expect(() => serializeCookie('__Host-x', 'v', { secure: true, path: '/auth' })).toThrow(TypeError);
    expect(() => serializeCookie('__Host-x', 'v', { path: '/' })).toThrow(TypeError);
    expect(() => serializeCookie('__Secure-x', 'v', {})).toThrow(TypeError);
  });

  it('refuses names and values that would need escaping (header injection)', () => {
    expect(() => serializeCookie('a b', 'v')).toThrow(TypeError);
    expect(() => serializeCookie('sid', 'v; Domain=evil.example')).toThrow(TypeError);
    expect(() => serializeCookie('sid', 'v\r\nSet-Cookie: x=y')).toThrow(TypeError);
  });
});

describe('appendSetCookie', () => {
  it('keeps cookies set earlier on a Node/Express response', () => {
    const headers = new Map<string, unknown>();
    const response = { getHeader: (name: string) => headers.get(name), setHeader: (name: string, value: unknown) => headers.set(name, value) };
    appendSetCookie(response, 'a=1');
    appendSetCookie(response, 'b=2');
    expect(headers.get('set-cookie')).toEqual(['a=1', 'b=2']);
  });

  it('uses Fastify reply.header, which appends set-cookie itself', () => {
    const calls: string[] = [];
    const reply = { raw: { getHeader: () => undefined }, header: (_name: string, value: string) => calls.push(value) };
    appendSetCookie(reply, 'a=1');
    appendSetCookie(reply, 'b=2');
    expect(calls).toEqual(['a=1', 'b=2']);
  });
});
