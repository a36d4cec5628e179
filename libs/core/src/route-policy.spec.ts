import { Reflector } from '@nestjs/core';
import type { ExecutionContext, Type } from '@nestjs/common';
import { Public } from './public.decorator.js';
import { RoutePolicies } from './route-policy.js';
import { Scopes } from './scopes.decorator.js';

class BaseController {
  list(): string[] {
    return [];
  }
}

/** Inherits `list` with class-level metadata of its own. */
@Public()
class OpenController extends BaseController {}

@Scopes('orders:read')
class GuardedController extends BaseController {}

const contextOf = (type: Type, handler: Function) => ({ getClass: () => type, getHandler: () => handler }) as ExecutionContext;

describe('RoutePolicies', () => {
  it('reads one handler inherited by two classes per class, whichever class is seen first', () => {
    for (const order of [
      [OpenController, GuardedController],
      [GuardedController, OpenController],
    ]) {
      const policies = new RoutePolicies(new Reflector(), { mechanisms: ['jwt'], strategies: [] });
      for (let round = 0; round < 3; round += 1) {
        for (const type of order) {
          const policy = policies.get(contextOf(type, BaseController.prototype.list));
          if (type === OpenController) expect(policy).toMatchObject({ isPublic: true, scopes: [] });
          else expect(policy).toMatchObject({ isPublic: false, scopes: ['orders:read'] });
        }
      }
    }
  });

  it('reads a route once and returns the same frozen policy after', () => {
    const policies = new RoutePolicies(new Reflector(), { mechanisms: ['jwt'], strategies: [] });
    const first = policies.get(contextOf(GuardedController, BaseController.prototype.list));
    expect(policies.get(contextOf(GuardedController, BaseController.prototype.list))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
