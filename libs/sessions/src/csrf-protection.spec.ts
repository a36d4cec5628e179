import { GatehouseError, type GatehouseRequest } from '@gatehouse/core';
import { CsrfProtection, ORIGIN_CHECKED } from './csrf-protection.js';
import { deriveCsrfToken, generateSessionSecret } from './session-secret.js';
import { resolveSessionsOptions, type SessionsModuleOptions } from './sessions-options.interface.js';

const secret = generateSessionSecret();
const token = deriveCsrfToken(secret);

function request(method: string, headers: Record<string, string>, url = '/orders'): GatehouseRequest {
  return { method, url, headers: { host: 'app.example.com', ...headers }, protocol: 'https' } as GatehouseRequest;
}

function outcome(req: GatehouseRequest, options: SessionsModuleOptions = {}): string {
  try {
    new CsrfProtection(resolveSessionsOptions(options)).verify(req, secret);
    return 'pass';
  } catch (error) {
    if (error instanceof GatehouseError) return `${error.status} ${error.code}`;
    throw error;
  }
}

const json = { 'content-type': 'application/json', 'content-length': '2' };
const sameOrigin = { 'sec-fetch-site': 'same-origin', origin: 'https://app.example.com' };

describe('CsrfProtection', () => {
  it('passes safe methods without any token', () => {
    expect(outcome(request('GET', { 'sec-fetch-site': 'cross-site' }))).toBe('pass');
  });

  it('passes a same-origin JSON request with the session’s token', () => {
    expect(outcome(request('POST', { ...sameOrigin, ...json, 'x-csrf-token': token }))).toBe('pass');
    expect(outcome(request('DELETE', { ...sameOrigin, 'x-csrf-token': token }))).toBe('pass');
    expect(outcome(request('PATCH', { ...sameOrigin, 'content-type': 'Application/JSON; charset=utf-8', 'x-csrf-token': token }))).toBe('pass');
  });

  it.each([
    ['missing', {}],
    ['empty', { 'x-csrf-token': '' }],
    ['wrong', { 'x-csrf-token': 'A'.repeat(43) }],
    ['another session’s', { 'x-csrf-token': deriveCsrfToken(generateSessionSecret()) }],
    ['the session secret itself', { 'x-csrf-token': secret }],
    ['oversized', { 'x-csrf-token': token + 'A'.repeat(10_000) }],
  ])('refuses a %s token with 403 csrf_token_invalid', (_name, headers) => {
    expect(outcome(request('POST', { ...sameOrigin, ...json, ...headers }))).toBe('403 csrf_token_invalid');
  });

  it('ignores a token in the query string', () => {
    expect(outcome(request('POST', { ...sameOrigin, ...json }, `/orders?x-csrf-token=${token}&csrfToken=${token}`))).toBe('403 csrf_token_invalid');
  });

  it('refuses cross-site and foreign-origin requests before looking at the token', () => {
    expect(outcome(request('POST', { 'sec-fetch-site': 'cross-site', ...json, 'x-csrf-token': token }))).toBe('403 cross_site_request');
    expect(outcome(request('POST', { origin: 'https://app.example.com.attacker.com', ...json, 'x-csrf-token': token }))).toBe('403 cross_site_request');
    expect(outcome(request('POST', { 'sec-fetch-site': 'same-site', origin: 'https://x.example.com', ...json, 'x-csrf-token': token }))).toBe(
      '403 cross_site_request',
    );
  });

  it('passes same-site only when trusted', () => {
    const sibling = { 'sec-fetch-site': 'same-site', origin: 'https://x.example.com', ...json, 'x-csrf-token': token };
    expect(outcome(request('POST', sibling), { trustSameSite: true })).toBe('pass');
    expect(outcome(request('POST', sibling), { allowedOrigins: ['https://x.example.com'] })).toBe('pass');
  });

  it('passes header-less clients with the token, unless origin headers are required', () => {
    expect(outcome(request('POST', { ...json, 'x-csrf-token': token }))).toBe('pass');
    expect(outcome(request('POST', { ...json, 'x-csrf-token': token }), { requireOriginHeaders: true })).toBe('403 cross_site_request');
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded'],
    ['a multipart form', 'multipart/form-data; boundary=x'],
    ['text/plain (JSON smuggling)', 'text/plain'],
    ['text/plain with a charset', 'text/plain;charset=UTF-8'],
    ['a JSON look-alike', 'application/jsonp'],
  ])('refuses %s body with 415', (_name, type) => {
    expect(outcome(request('POST', { ...sameOrigin, 'content-type': type, 'content-length': '5', 'x-csrf-token': token }))).toBe(
      '415 unsupported_media_type',
    );
  });

  it('refuses a body without a content type, but not an empty unsafe request', () => {
    expect(outcome(request('POST', { ...sameOrigin, 'content-length': '5', 'x-csrf-token': token }))).toBe('415 unsupported_media_type');
    expect(outcome(request('POST', { ...sameOrigin, 'transfer-encoding': 'chunked', 'x-csrf-token': token }))).toBe('415 unsupported_media_type');
    expect(outcome(request('POST', { ...sameOrigin, 'content-length': '0', 'x-csrf-token': token }))).toBe('pass');
  });

  it('reads a configured header name and content types', () => {
    const options = { csrfHeader: 'X-XSRF-Token', allowedContentTypes: ['application/json', 'application/merge-patch+json'] };
    expect(outcome(request('PATCH', { ...sameOrigin, 'content-type': 'application/merge-patch+json', 'x-xsrf-token': token }), options)).toBe('pass');
    expect(outcome(request('PATCH', { ...sameOrigin, ...json, 'x-csrf-token': token }), options)).toBe('403 csrf_token_invalid');
  });

  it('marks checked requests and sends Vary on refusals', () => {
    const req = request('POST', { ...sameOrigin, ...json });
    try {
      new CsrfProtection(resolveSessionsOptions()).verify(req, secret);
    } catch (error) {
      expect((error as GatehouseError).details.headers).toEqual({ Vary: 'Sec-Fetch-Site, Origin' });
    }
    expect((req as unknown as Record<symbol, unknown>)[ORIGIN_CHECKED]).toBe(true);
  });
});
