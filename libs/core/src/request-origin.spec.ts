import { GatehouseError } from './gatehouse.error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';
import {
  appendVary,
  checkRequestOrigin,
  isSafeMethod,
  normalizeAllowedOrigins,
  normalizeOrigin,
  requestOwnOrigin,
  type RequestOriginOptions,
} from './request-origin.js';

function request(method: string, headers: Record<string, string | string[]>, extra: Record<string, unknown> = {}): GatehouseRequest {
  return { method, url: '/x', headers: { host: 'app.example.com', ...headers }, protocol: 'https', ...extra } as GatehouseRequest;
}

function outcome(req: GatehouseRequest, allowed: readonly string[] = [], options?: RequestOriginOptions): string {
  try {
    checkRequestOrigin(req, allowed, options);
    return 'pass';
  } catch (error) {
    if (error instanceof GatehouseError) return error.code;
    throw error;
  }
}

describe('checkRequestOrigin', () => {
  it('never checks safe methods', () => {
    expect(outcome(request('GET', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }))).toBe('pass');
    expect(outcome(request('HEAD', { origin: 'https://evil.example' }))).toBe('pass');
    expect(isSafeMethod('options')).toBe(true);
    expect(isSafeMethod('PATCH')).toBe(false);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'])('refuses %s with Sec-Fetch-Site: cross-site', (method) => {
    expect(outcome(request(method, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }))).toBe('cross_site_request');
  });

  it('passes same-origin and user-initiated (none) fetch metadata', () => {
    expect(outcome(request('POST', { 'sec-fetch-site': 'same-origin' }))).toBe('pass');
    expect(outcome(request('POST', { 'sec-fetch-site': 'none' }))).toBe('pass');
  });

  it('treats same-site as untrusted unless configured or allow-listed', () => {
    const sibling = request('POST', { 'sec-fetch-site': 'same-site', origin: 'https://blog.example.com' });
    expect(outcome(sibling)).toBe('cross_site_request');
    expect(outcome(sibling, [], { trustSameSite: true })).toBe('pass');
    expect(outcome(sibling, ['https://blog.example.com'])).toBe('pass');
  });

  it('lets an explicitly allow-listed cross-site front end through, and nothing else', () => {
    const front = request('POST', { 'sec-fetch-site': 'cross-site', origin: 'https://front.example.net' });
    expect(outcome(front, ['https://front.example.net'])).toBe('pass');
    expect(outcome(front, ['https://other.example.net'])).toBe('cross_site_request');
  });

  it('fails closed on an unknown or repeated Sec-Fetch-Site value', () => {
    expect(outcome(request('POST', { 'sec-fetch-site': 'same-origin-ish' }))).toBe('cross_site_request');
    expect(outcome(request('POST', { 'sec-fetch-site': ['same-origin', 'cross-site'] }))).toBe('cross_site_request');
  });

  it('falls back to an exact Origin match against the own origin', () => {
    expect(outcome(request('POST', { origin: 'https://app.example.com' }))).toBe('pass');
    for (const origin of [
      'https://app.example.com.attacker.com',
      'https://app.example.comevil.com',
      'https://evil.app.example.com',
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com/',
      'null',
      '',
    ]) {
      expect([origin, outcome(request('POST', { origin }))]).toEqual([origin, 'cross_site_request']);
    }
  });

  it('matches configured origins exactly, replacing the own origin', () => {
    const allowed = normalizeAllowedOrigins(['https://App.Example.com:443']);
    expect(allowed).toEqual(['https://app.example.com']);
    expect(outcome(request('POST', { origin: 'https://app.example.com' }), allowed)).toBe('pass');
    expect(outcome(request('POST', { origin: 'https://app.example.com.attacker.com' }), allowed)).toBe('cross_site_request');
    expect(outcome(request('POST', { origin: 'https://app.example.com', host: 'internal:3000' }), allowed)).toBe('pass');
  });

  it('uses the Referer origin when Origin is absent', () => {
    expect(outcome(request('POST', { referer: 'https://app.example.com/settings?x=1' }))).toBe('pass');
    expect(outcome(request('POST', { referer: 'https://app.example.com.attacker.com/app.example.com' }))).toBe('cross_site_request');
    expect(outcome(request('POST', { referer: 'not a url' }))).toBe('cross_site_request');
  });

  it('lets header-less (non-browser) requests through unless origin headers are required', () => {
    expect(outcome(request('POST', {}))).toBe('pass');
    expect(outcome(request('POST', {}), [], { requireOriginHeaders: true })).toBe('cross_site_request');
  });

  it('refuses when the own origin cannot be derived from a malformed Host', () => {
    expect(outcome(request('POST', { origin: 'https://evil.example', host: 'evil.example/@app.example.com' }))).toBe('cross_site_request');
    expect(outcome(request('POST', { origin: 'https://app.example.com', host: 'app.example.com@evil' }))).toBe('cross_site_request');
  });

  it('names the varying headers on the refusal', () => {
    try {
      checkRequestOrigin(request('POST', { 'sec-fetch-site': 'cross-site' }), []);
      throw new Error('not refused');
    } catch (error) {
      expect((error as GatehouseError).details.headers).toEqual({ Vary: 'Sec-Fetch-Site, Origin' });
    }
  });
});

describe('origins', () => {
  it('derives the own origin from the protocol and Host', () => {
    expect(requestOwnOrigin(request('GET', { host: 'App.Example.com:443' }))).toBe('https://app.example.com');
    expect(requestOwnOrigin(request('GET', { host: '127.0.0.1:3000' }, { protocol: 'http' }))).toBe('http://127.0.0.1:3000');
    expect(requestOwnOrigin(request('GET', { host: '[::1]:3000' }, { protocol: undefined, socket: { encrypted: true } }))).toBe('https://[::1]:3000');
    expect(requestOwnOrigin(request('GET', { host: '' }))).toBeUndefined();
  });

  it('normalises only http(s) origins without credentials', () => {
    expect(normalizeOrigin('javascript:alert(1)')).toBeUndefined();
    expect(normalizeOrigin('https://user:pw@example.com')).toBeUndefined();
    expect(normalizeOrigin('http://EXAMPLE.com:80/a')).toBe('http://example.com');
    expect(() => normalizeAllowedOrigins(['https://example.com/app'])).toThrow(TypeError);
    expect(() => normalizeAllowedOrigins(['example.com'])).toThrow(TypeError);
  });
});

describe('appendVary', () => {
  it('merges into an Express-style response without duplicates', () => {
    const headers = new Map<string, unknown>([['vary', 'Accept-Encoding, origin']]);
    const response = { getHeader: (n: string) => headers.get(n), setHeader: (n: string, v: string) => headers.set(n, v) };
    appendVary(response);
    expect(headers.get('vary')).toBe('Accept-Encoding, Origin, Sec-Fetch-Site');
  });

  it('writes through a Fastify-style reply', () => {
    const headers = new Map<string, unknown>();
    const reply = { raw: {}, getHeader: (n: string) => headers.get(n), header: (n: string, v: string) => headers.set(n, v) };
    appendVary(reply);
    expect(headers.get('vary')).toBe('Sec-Fetch-Site, Origin');
  });
});
