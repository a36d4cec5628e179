import { GatehouseError } from '@gatehouse/core';
import { readOAuthParameters } from './oauth-parameters.js';

const code = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof GatehouseError ? error.code : 'other';
  }
  return undefined;
};

describe('readOAuthParameters', () => {
  it('reads the named parameters and ignores unknown ones (RFC 6749 §3.2)', () => {
    expect(readOAuthParameters({ token: 't', extra: ['a', 'b'], nonce: 5 }, ['token', 'token_type_hint'])).toEqual({ token: 't' });
  });

  it('treats empty values as omitted', () => {
    expect(readOAuthParameters({ token: '', token_type_hint: null }, ['token', 'token_type_hint'])).toEqual({});
    expect(readOAuthParameters(undefined, ['token'])).toEqual({});
  });

  it('refuses a repeated or non-string known parameter, and a body that is not an object', () => {
    expect(code(() => readOAuthParameters({ token: ['a', 'b'] }, ['token']))).toBe('invalid_request');
    expect(code(() => readOAuthParameters({ token: 1 }, ['token']))).toBe('invalid_request');
    expect(code(() => readOAuthParameters([{ token: 'a' }], ['token']))).toBe('invalid_request');
    expect(code(() => readOAuthParameters('token=a', ['token']))).toBe('invalid_request');
  });

  it('never reads inherited properties', () => {
    expect(readOAuthParameters(Object.create({ token: 'inherited' }), ['token'])).toEqual({});
  });
});
