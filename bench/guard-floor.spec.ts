import type { ExecutionContext } from '@nestjs/common';
import { GatehouseError, ManualClock, MemoryRevocationStore, type Principal } from '@gatehouse/core';
import { AccessTokenIssuer, KeyRing, resolveTokensOptions, type SigningAlgorithm } from '@gatehouse/tokens';
import { setRequestPrincipal } from '../libs/core/src/principal-slot.js';
import { guardFloor, ringSignatureCheck } from './guard-floor.js';

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

  it('checks the signature of a bearer token it has not seen, once the real guard has accepted one', () => {
    const tokens = new Map([
      ['first', true],
      ['second', true],
      ['forged', false],
    ]);
    let calls = 0;
    const floor = guardFloor(
      (context) => {
        calls += 1;
        setRequestPrincipal(context.getArgByIndex(0), principal);
        return true;
      },
      (token) => tokens.get(token) ?? false,
    );
    const request = (token: string) => new FakeRequest({ authorization: `Bearer ${token}` });
    // The second token before the real guard has accepted any: the real guard decides.
    void floor(contextOf(request('second')));
    expect(calls).toBe(1);
    void floor(contextOf(request('first')));
    expect(calls).toBe(1);
    // A bad signature goes to the real guard.
    void floor(contextOf(request('forged')));
    expect(calls).toBe(2);
    // Not a bearer token: the real guard decides, whatever the signature check would say.
    void floor(contextOf(new FakeRequest({ 'x-api-key': 'first' })));
    expect(calls).toBe(3);
    const seen = request('first');
    expect(floor(contextOf(seen))).toBe(true);
    expect((seen as { principal?: Principal }).principal).toBe(principal);
    expect(calls).toBe(3);
  });
});

describe('ringSignatureCheck', () => {
  it.each<SigningAlgorithm>(['EdDSA', 'ES256'])('accepts the ring\'s %s tokens and refuses a changed signature or payload', async (algorithm) => {
    const options = resolveTokensOptions({ issuer: 'http://127.0.0.1', audience: 'bench', algorithm });
    const clock = new ManualClock(Date.now());
    const ring = await KeyRing.create(options, clock);
    const { accessToken } = await new AccessTokenIssuer(options, ring, clock, new MemoryRevocationStore()).issue({ subject: 'user-1', scopes: ['a'] });
    const check = ringSignatureCheck(ring);
    expect(check(accessToken)).toBe(true);
    const [header, payload, signature] = accessToken.split('.');
    expect(check(`${header}.${payload}.${signature![0] === 'A' ? 'B' : 'A'}${signature!.slice(1)}`)).toBe(false);
    const other = Buffer.from(payload!, 'base64url').toString().replace('user-1', 'user-2');
    expect(check(`${header}.${Buffer.from(other).toString('base64url')}.${signature}`)).toBe(false);
    expect(check('garbage')).toBe(false);
    const stranger = await KeyRing.create(options, clock);
    expect(ringSignatureCheck(stranger)(accessToken)).toBe(false);
  });
});
