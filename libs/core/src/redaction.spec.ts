import { redactUrl, registerSecretPattern } from './redaction.js';

describe('redactUrl', () => {
  it('masks the values of secret-named query parameters, whatever their case or encoding', () => {
    expect(redactUrl('/orders?api_key=abc&page=2')).toBe('/orders?api_key=[REDACTED]&page=2');
    expect(redactUrl('/x?ApiKey=abc')).toBe('/x?ApiKey=[REDACTED]');
    expect(redactUrl('/x?access%5Ftoken=abc')).toBe('/x?access%5Ftoken=[REDACTED]');
    expect(redactUrl('/x?password=hunter2&token=t')).toBe('/x?password=[REDACTED]&token=[REDACTED]');
  });

  it('leaves other URLs alone and survives bad encodings', () => {
    expect(redactUrl('/orders?page=2')).toBe('/orders?page=2');
    expect(redactUrl('/orders')).toBe('/orders');
    expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
  });

  it('masks registered secret patterns anywhere in the URL', () => {
    registerSecretPattern(/tst_[A-Za-z0-9]{10}/);
    expect(redactUrl('/keys/tst_abcdefghij/x?q=tst_0123456789')).toBe('/keys/[REDACTED]/x?q=[REDACTED]');
  });
});
