import { Header, HttpCode, RequestMethod } from '@nestjs/common';
import { mountController } from './mounted-controller.js';

class Handlers {
  @HttpCode(204)
  @Header('Cache-Control', 'no-store')
  remove(): string {
    return 'removed';
  }

  list(): string {
    return 'listed';
  }
}

const ROUTES = { remove: { method: RequestMethod.DELETE, path: ':id' }, list: { method: RequestMethod.GET, path: '' } };
const meta = (target: object, key: string): unknown => Reflect.getMetadata(key, target);

describe('mountController', () => {
  it('routes each endpoint at its path, keeping the handler’s other metadata', () => {
    const mounted = mountController(Handlers, 'things', ROUTES, { remove: 'items/:id' });
    expect(meta(mounted, 'path')).toBe('things');
    const remove = mounted.prototype.remove as object;
    expect(meta(remove, 'path')).toBe('items/:id');
    expect(meta(remove, 'method')).toBe(RequestMethod.DELETE);
    expect(meta(remove, '__httpCode__')).toBe(204);
    expect((mounted.prototype.remove as () => string).call(new mounted())).toBe('removed');
    // RequestMapping turns an empty path into '/'.
    expect(meta(mounted.prototype.list as object, 'path')).toBe('/');
  });

  it('leaves out endpoints switched off, and mounts never share routes', () => {
    const first = mountController(Handlers, 'a', ROUTES, { list: false });
    const second = mountController(Handlers, 'b', ROUTES, { list: 'all' });
    expect(meta(first.prototype.list as object, 'path')).toBeUndefined();
    expect(meta(second.prototype.list as object, 'path')).toBe('all');
    expect(meta(Handlers.prototype.remove, 'path')).toBeUndefined();
  });

  it('refuses a route for a method the class does not have', () => {
    expect(() => mountController(Handlers, 'x', { ...ROUTES, missing: { method: RequestMethod.GET, path: 'm' } })).toThrow(TypeError);
  });
});
