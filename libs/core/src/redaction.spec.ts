import { redactUrl, registerSecretField, registerSecretPattern } from './redaction.js';

describe('redactUrl', () => {
  it('masks the values of secret-named query parameters, whatever their case or encoding', () => {
    expect(redactUrl('/orders?api_key=abc&page=2')).toBe('/orders?api_key=[REDACTED]&page=2');
    expect(redactUrl('/x?ApiKey=abc')).toBe('/x?ApiKey=[REDACTED]');
    expect(redactUrl('/x?access%5Ftoken=abc')).toBe('/x?access%5Ftoken=[REDACTED]');
    expect(redactUrl('/x?password=hunter2&token=t')).toBe('/x?password=[REDACTED]&token=[REDACTED]');
  });

  it.each([
    'access_token',
    'refresh_token',
    'id_token',
    'jwt',
    'session_id',
    'sessionId',
    'token',
    'code',
    'client_secret',
    'client_assertion',
    'code_verifier',
    'api_key',
    'api-key',
    'X-API-Key',
    'apikey',
    'csrf_token',
    'sid',
    'access_token[]',
  ])('covers the secret-bearing query name %s', (name) => {
    expect(redactUrl(`/cb?${name}=s3cr3t&page=2`)).toBe(`/cb?${name}=[REDACTED]&page=2`);
  });

  it('registers further secret names', () => {
    expect(redactUrl('/x?x-orders-key=abc')).toBe('/x?x-orders-key=abc');
    registerSecretField('X-Orders-Key');
    expect(redactUrl('/x?x-orders-key=abc')).toBe('/x?x-orders-key=[REDACTED]');
  });

  it('leaves other URLs alone and survives bad encodings', () => {
    expect(redactUrl('/orders?page=2')).toBe('/orders?page=2');
    expect(redactUrl('/orders')).toBe('/orders');
    expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
    expect(redactUrl('/x?flag&page=2')).toBe('/x?flag&page=2');
  });

  describe('registered secret patterns, matched after percent-decoding', () => {
    beforeAll(() => registerSecretPattern(/tst_[A-Za-z0-9]{10}/));

    it('masks them anywhere in the URL', () => {
      expect(redactUrl('/keys/tst_abcdefghij/x?q=tst_0123456789')).toBe('/keys/[REDACTED]/x?q=[REDACTED]');
    });

    it.each([
      ['a percent-encoded letter in a value', '/orders?q=tst_%41bcdefghij', '/orders?q=[REDACTED]'],
      ['an encoded value after other text', '/orders?q=see%20tst_%61bcdefghij%20here', '/orders?q=[REDACTED]'],
      ['a double-encoded letter', '/orders?q=tst_%2541bcdefghij', '/orders?q=[REDACTED]'],
      ['a fully encoded prefix', '/orders?q=%74%73%74%5F0123456789', '/orders?q=[REDACTED]'],
      ['an encoded path segment', '/keys/tst_%30123456789/x', '/keys/[REDACTED]/x'],
      ['the key as a parameter name', '/orders?tst_0123456789&page=2', '/orders?[REDACTED]&page=2'],
      ['a bad escape beside it', '/orders?q=%ZZtst_%41bcdefghij', '/orders?q=[REDACTED]'],
    ])('%s', (_label, url, expected) => {
      expect(redactUrl(url)).toBe(expected);
    });
  });
});
