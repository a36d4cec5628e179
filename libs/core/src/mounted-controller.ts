import { Controller, RequestMapping, type RequestMethod, type Type } from '@nestjs/common';

/** One endpoint of a library controller: its HTTP method and default path under the prefix. */
export interface EndpointRoute {
  method: RequestMethod;
  path: string;
}

/** Where an app mounts one endpoint: another path, or `false` to leave it out. */
export type EndpointPath = string | false;

/**
 * A fresh controller class for `base` at `prefix`, routing only the endpoints that are on, each at
 * its configured path. `base` carries every other decorator (guards, status, headers, params) but
 * no route, so one base class serves any number of apps with different paths in one process.
 *
 * @example mountController(SessionEndpoints, 'auth', SESSION_ROUTES, { logout: false })
 */
export function mountController<K extends string>(
  base: Type,
  prefix: string,
  routes: Readonly<Record<K, EndpointRoute>>,
  paths: Partial<Record<K, EndpointPath>> = {},
): Type {
  const mounted = class extends base {};
  Object.defineProperty(mounted, 'name', { value: base.name });
  for (const name of Object.keys(routes) as K[]) {
    const path = paths[name] ?? routes[name].path;
    if (path === false) continue;
    const original = base.prototype[name] as (...args: unknown[]) => unknown;
    if (typeof original !== 'function') throw new TypeError(`${base.name} has no endpoint method ${name}`);
    // A new function per mount: route metadata lives on the function, copied then routed.
    const handler = function (this: unknown, ...args: unknown[]): unknown {
      return original.apply(this, args);
    };
    Object.defineProperty(handler, 'name', { value: name });
    for (const key of Reflect.getMetadataKeys(original)) Reflect.defineMetadata(key, Reflect.getMetadata(key, original), handler);
    const descriptor: PropertyDescriptor = { value: handler, writable: true, configurable: true };
    RequestMapping({ path, method: routes[name].method })(mounted.prototype, name, descriptor);
    Object.defineProperty(mounted.prototype, name, descriptor);
  }
  Controller(prefix)(mounted);
  return mounted;
}
