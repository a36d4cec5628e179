import type { Principal } from './principal.interface.js';

const principals = new WeakMap<object, Principal>();
const users = new WeakMap<object, unknown>();
const prepared = new WeakSet<object>();
/** Whether anything has assigned `user` through a prepared prototype yet: until then no request has an entry in `users`. */
let usersAssigned = false;

/** The object on `target`'s prototype chain (below `Object.prototype`) that defines `name`, if any. */
function ownerOf(target: object, name: string): object | undefined {
  for (let current: object | null = target; current && current !== Object.prototype; current = Object.getPrototypeOf(current) as object | null) {
    if (Object.prototype.hasOwnProperty.call(current, name)) return current;
  }
  return undefined;
}

/**
 * Express re-parents every request object (`Object.setPrototypeOf(req, app.request)`), so each
 * property added to it builds a new hidden class: about 2 µs per property per request. Accessors
 * on the shared prototype, backed by WeakMaps, give `request.principal` and `request.user` without
 * adding properties. Prototypes or requests that already define either name (a framework's own
 * `user`) and plain objects are left alone and get ordinary properties.
 */
/** The prototype prepared last: every request of an app shares one, so most calls stop at this check. */
let lastPrepared: object | undefined;

function prepare(prototype: object | null): boolean {
  if (prototype === lastPrepared) return true;
  if (!prototype || prototype === Object.prototype) return false;
  if (prepared.has(prototype)) {
    lastPrepared = prototype;
    return true;
  }
  const principalOwner = ownerOf(prototype, 'principal');
  const userOwner = ownerOf(prototype, 'user');
  if (principalOwner !== undefined || userOwner !== undefined) {
    // Inherited from a prototype prepared here, both accessors are ours: Fastify builds a request
    // class per plugin context (Mercurius' routes, say), each inheriting the root's prototype.
    if (principalOwner !== userOwner || !prepared.has(principalOwner!)) return false;
    prepared.add(prototype);
    lastPrepared = prototype;
    return true;
  }
  Object.defineProperty(prototype, 'principal', {
    configurable: true,
    get(this: object) {
      return principals.get(this);
    },
    set(this: object, value: Principal) {
      principals.set(this, value);
    },
  });
  Object.defineProperty(prototype, 'user', {
    configurable: true,
    // Until something assigns `req.user` itself, it reads as the principal: one WeakMap write per request.
    get(this: object) {
      return users.has(this) ? users.get(this) : principals.get(this);
    },
    set(this: object, value: unknown) {
      usersAssigned = true;
      users.set(this, value);
    },
  });
  prepared.add(prototype);
  lastPrepared = prototype;
  return true;
}

/** Stores the principal on the request as `principal` and, for passport-style code, `user`. */
export function setRequestPrincipal(request: { principal?: Principal; user?: unknown }, principal: Principal): void {
  const own = Object.prototype.hasOwnProperty;
  if (!own.call(request, 'principal') && !own.call(request, 'user') && prepare(Object.getPrototypeOf(request) as object | null)) {
    principals.set(request, principal);
    // One WeakMap write per request: the delete that makes `user` read as the principal again is
    // needed only once something has assigned `user` (a passport strategy, say).
    if (usersAssigned) users.delete(request);
    return;
  }
  request.principal = principal;
  request.user = principal;
}
