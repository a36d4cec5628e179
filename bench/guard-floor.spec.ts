import type { ExecutionContext } from '@nestjs/common';
import { GatehouseError, type Principal } from '@gatehouse/core';
import { setRequestPrincipal } from '../libs/core/src/principal-slot.js';
import { guardFloor } from './guard-floor.js';

class FakeRequest {
  constructor(readonly headers: Record<string, string>) {}
}

const contextOf = (request: FakeRequest) => ({ getArgByIndex: () => request }) as unknown as ExecutionContext;
const principal: Principal = Object.freeze({ kind: 'user', subject: 'u1', scopes: [], credential: { mechanism: 'jwt', id: 'j1' } });

describe('guardFloor', () => {
  it('asks the real guard once per credential, then attaches the principal it attached', () => {
    let calls = 0;
    const floor = guardFloor((context) => {
      calls += 1;
      setRequestPrincipal(context.getArgByIndex(0), principal);
      return true;
    });
    const token = `Bearer ${'a'.repeat(300)}`;
    expect(floor(contextOf(new FakeRequest({ authorization: token })))).toBe(true);
    const again = new FakeRequest({ authorization: token });
    expect(floor(contextOf(again))).toBe(true);
    expect(calls).toBe(1);
    expect((again as { principal?: Principal }).principal).toBe(principal);
    // The same last characters with another value: the real guard decides again.
    void floor(contextOf(new FakeRequest({ authorization: `Bearer ${'b'.repeat(100)}${'a'.repeat(200)}` })));
    expect(calls).toBe(2);
  });

  it('refuses what the real guard refused, with a new error of the same code each time', async () => {
    let calls = 0;
    const floor = guardFloor(() => {
      calls += 1;
      return Promise.reject(new GatehouseError('invalid_api_key', { mechanism: 'api-key' }));
    });
    const headers = { 'x-api-key': 'gh_live_garbage' };
    await expect(floor(contextOf(new FakeRequest(headers)))).rejects.toBeInstanceOf(GatehouseError);
    const first = await (floor(contextOf(new FakeRequest(headers))) as Promise<boolean>).catch((error: unknown) => error);
    const second = await (floor(contextOf(new FakeRequest(headers))) as Promise<boolean>).catch((error: unknown) => error);
    expect(calls).toBe(1);
    expect(first).toMatchObject({ code: 'invalid_api_key', status: 401, details: { mechanism: 'api-key' } });
    expect(second).not.toBe(first);
  });

  it('leaves a request with no credential header to the real guard', () => {
    let calls = 0;
    const floor = guardFloor(() => {
      calls += 1;
      return true;
    });
    void floor(contextOf(new FakeRequest({})));
    void floor(contextOf(new FakeRequest({})));
    expect(calls).toBe(2);
  });
});
