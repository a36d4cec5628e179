import { GatehouseError } from './gatehouse.error.js';

describe('GatehouseError', () => {
  it('captures no stack for a refusal (4xx): its code says what happened', () => {
    const error = new GatehouseError('invalid_token', { mechanism: 'jwt' });
    expect(error.status).toBe(401);
    expect(error.stack).toBe('GatehouseError: The access token is invalid.');
  });

  it('keeps the stack of a fault (5xx), and leaves the stack limit as it found it', () => {
    const limit = Error.stackTraceLimit;
    const error = new GatehouseError('service_unavailable');
    expect(error.stack).toMatch(/\n\s+at /);
    new GatehouseError('invalid_token');
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('still refuses an unregistered code', () => {
    expect(() => new GatehouseError('no_such_code' as never)).toThrow(TypeError);
  });
});
