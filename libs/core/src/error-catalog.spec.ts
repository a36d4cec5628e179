import { buildChallenge, quoteParameter } from './challenge.js';
import { errorSpec, registerErrorCodes, registeredErrorCodes } from './error-catalog.js';
import { toErrorResponse } from './error-response.js';
import { GatehouseError } from './gatehouse.error.js';

describe('registerErrorCodes', () => {
  it('adds a code that GatehouseError and the HTTP mapping then know', () => {
    registerErrorCodes({ quota_exhausted: { status: 429, message: 'The monthly quota is used up.' } });
    expect(errorSpec('quota_exhausted')).toEqual({ status: 429, message: 'The monthly quota is used up.' });
    expect(registeredErrorCodes()).toHaveProperty('quota_exhausted');
    const response = toErrorResponse(new GatehouseError('quota_exhausted', { retryAfter: 60 }));
    expect(response).toMatchObject({ status: 429, headers: { 'Retry-After': '60' }, body: { code: 'quota_exhausted', message: 'The monthly quota is used up.' } });
  });

  it('accepts the same definition twice but not a different one', () => {
    registerErrorCodes({ order_locked: { status: 409, message: 'The order is locked.' } });
    expect(() => registerErrorCodes({ order_locked: { status: 409, message: 'The order is locked.' } })).not.toThrow();
    expect(() => registerErrorCodes({ order_locked: { status: 423, message: 'The order is locked.' } })).toThrow('already registered');
  });

  it.each([
    ['a built-in code', { invalid_token: { status: 401, message: 'x' } }, 'built in'],
    ['a code that is not snake case', { 'Bad-Code': { status: 400, message: 'x' } }, 'snake case'],
    ['a status below 400', { moved_away: { status: 301, message: 'x' } }, '4xx or 5xx'],
  ])('refuses %s', (_label, codes, message) => {
    expect(() => registerErrorCodes(codes)).toThrow(message);
  });

  it('makes an unregistered code a TypeError where it is raised', () => {
    expect(() => new GatehouseError('never_registered')).toThrow(TypeError);
  });
});

describe('buildChallenge', () => {
  it('quotes parameters with one escaping rule and skips undefined ones', () => {
    expect(buildChallenge('Bearer', { realm: 'api', error: undefined })).toBe('Bearer realm="api"');
    expect(buildChallenge('Bearer', { realm: 'a "quoted" \\ realm' })).toBe('Bearer realm="a \\"quoted\\" \\\\ realm"');
    expect(buildChallenge('Signature')).toBe('Signature');
  });

  it('drops control characters so a value cannot end the header', () => {
    expect(quoteParameter('evil\r\nSet-Cookie: x=1')).toBe('"evilSet-Cookie: x=1"');
  });

  it('refuses a scheme that is not a token', () => {
    expect(() => buildChallenge('Bad Scheme')).toThrow(TypeError);
  });
});
