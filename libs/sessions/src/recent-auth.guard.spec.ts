import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GatehouseError, ManualClock, type Principal } from '@gatehouse/core';
import { RecentAuthGuard } from './recent-auth.guard.js';
import { RequireRecentAuth } from './require-recent-auth.decorator.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');

class Routes {
  @RequireRecentAuth(300)
  sensitive(): void {}
  plain(): void {}
}

function context(handler: keyof Routes, principal?: Partial<Principal['credential']>): ExecutionContext {
  const request = principal ? { principal: { kind: 'user', subject: 'u', scopes: [], credential: { mechanism: 'session', id: 's', ...principal } } } : {};
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    getArgByIndex: (index: number) => [request][index],
  } as unknown as ExecutionContext;
}

function outcome(ctx: ExecutionContext): string {
  try {
    return String(new RecentAuthGuard(new Reflector(), new ManualClock(NOW)).canActivate(ctx));
  } catch (error) {
    return (error as GatehouseError).code;
  }
}

describe('RequireRecentAuth', () => {
  it('passes a fresh authentication and refuses an old or unknown one', () => {
    expect(outcome(context('sensitive', { authTime: NOW - 300_000 }))).toBe('true');
    expect(outcome(context('sensitive', { authTime: NOW - 300_001 }))).toBe('reauthentication_required');
    expect(outcome(context('sensitive', {}))).toBe('reauthentication_required');
    expect(outcome(context('sensitive'))).toBe('credentials_missing');
  });

  it('ignores routes without the decorator', () => {
    expect(outcome(context('plain', {}))).toBe('true');
  });

  it('answers 401', () => {
    expect(new GatehouseError('reauthentication_required').status).toBe(401);
  });

  it('rejects a nonsensical age', () => {
    expect(() => RequireRecentAuth(0)).toThrow(TypeError);
    expect(() => RequireRecentAuth(Number.NaN)).toThrow(TypeError);
  });
});
