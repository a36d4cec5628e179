import type { Principal } from './principal.interface.js';

const principals = new WeakMap<object, Principal>();
const users = new WeakMap<object, unknown>();
/** Whether anything has assigned `user` through an accessor of ours yet: until then no request has an entry in `users`. */
let usersAssigned = false;
/** Whether a server has declared the principal slot: until then no request's own `principal` is one. */
let slotDeclared = false;

/** The object on `target`'s prototype chain (below `Object.prototype`) that defines `name`, if any. */
function ownerOf(target: object, name: string): object | undefined {
  for (let current: object | null = target; current && current !== Object.prototype; current = Object.getPrototypeOf(current) as object | null) {
    if (Object.prototype.hasOwnProperty.call(current, name)) return current;
  }
  return undefined;
}

function definePrincipalAccessor(prototype: object): void {
  Object.defineProperty(prototype, 'principal', {
    configurable: true,
    get(this: object) {
      return principals.get(this);
    },
    set(this: object, value: Principal) {
      principals.set(this, value);
    },
  });
}

/** Until something assigns `req.user` itself, it reads as the principal: nothing to write per request. */
function defineUserAccessor(prototype: object): void {
  Object.defineProperty(prototype, 'user', {
    configurable: true,
    get(this: { principal?: Principal }) {
      return usersAssigned && users.has(this) ? users.get(this) : this.principal;
    },
    set(this: object, value: unknown) {
      usersAssigned = true;
      users.set(this, value);
    },
  });
}

/**
 * Prototypes given accessors here. Express re-parents every request object
 * (`Object.setPrototypeOf(req, app.request)`), so each property added to it builds a new hidden
 * class: about 2 µs per property per request. Accessors on the shared prototype, backed by
 * WeakMaps, give `request.principal` and `request.user` without adding properties (`prepared`).
 * Requests born with an own `principal` (Fastify's, `declarePrincipalSlot`) need only the `user`
 * accessor, which reads it (`slotted`). Prototypes that define either name otherwise (a
 * framework's own `user`) and plain objects are left alone and get ordinary properties.
 */
class AccessorPrototypes {
  private readonly members = new WeakSet<object>();
  /** The prototype admitted last: every request of an app (or Fastify context) shares one, so most calls stop at this check. */
  private last: object | undefined;

  constructor(private readonly withPrincipal: boolean) {}

  includes(owner: object): boolean {
    return this.members.has(owner);
  }

  /** Whether requests of `prototype` can use accessors of ours, defining what it lacks. */
  admit(prototype: object | null): boolean {
    if (prototype === this.last) return true;
    if (!prototype || prototype === Object.prototype) return false;
    if (!this.members.has(prototype)) {
      // Inherited accessors of ours are kept: Fastify builds a request class per plugin context
      // (Mercurius' routes, say), each inheriting the root's prototype.
      const principalOwner = ownerOf(prototype, 'principal');
      const userOwner = ownerOf(prototype, 'user');
      if (principalOwner !== undefined && !prepared.includes(principalOwner)) return false;
      if (userOwner !== undefined && !prepared.includes(userOwner) && !slotted.includes(userOwner)) return false;
      if (this.withPrincipal && principalOwner === undefined) definePrincipalAccessor(prototype);
      if (userOwner === undefined) defineUserAccessor(prototype);
      this.members.add(prototype);
    }
    this.last = prototype;
    return true;
  }
}

/** Both accessors: the principal lives in `principals`. */
const prepared = new AccessorPrototypes(true);
/** `user` only: the principal is the request's own property. */
const slotted = new AccessorPrototypes(false);

/** Stores the principal on the request as `principal` and, for passport-style code, `user`. */
export function setRequestPrincipal(request: { principal?: Principal; user?: unknown }, principal: Principal): void {
  const own = Object.prototype.hasOwnProperty;
  if (!own.call(request, 'user')) {
    const born = own.call(request, 'principal');
    // A request born with the slot (Fastify, `declarePrincipalSlot`): one property store. Any
    // other: one WeakMap write. The delete that makes `user` read as the principal again is
    // needed only once something has assigned `user` (a passport strategy, say).
    if (born ? slotDeclared && slotted.admit(Object.getPrototypeOf(request) as object | null) : prepared.admit(Object.getPrototypeOf(request) as object | null)) {
      if (born) request.principal = principal;
      else principals.set(request, principal);
      if (usersAssigned) users.delete(request);
      return;
    }
  }
  request.principal = principal;
  request.user = principal;
}

/** The part of a Fastify instance `declarePrincipalSlot` uses (no Fastify types in core). */
interface DecoratableServer {
  decorateRequest(name: string, value: undefined): unknown;
  hasRequestDecorator(name: string): boolean;
}

/**
 * On Fastify, declares `principal` as a request decorator (`decorateRequest('principal',
 * undefined)`): every request is then constructed with it as an own property, in its class's
 * shape, and attaching a principal is one property store instead of a `WeakMap` write. `user`
 * still reads as the principal, from an accessor on the request's prototype. Nothing happens when
 * `server` is not a Fastify instance, when the app or a plugin declared `principal` itself, or
 * when Fastify has started (it refuses decorations then); a plugin context created before the
 * declaration builds requests without the slot, which keep the accessors. Returns whether the
 * slot was declared.
 */
export function declarePrincipalSlot(server: unknown): boolean {
  const fastify = server as Partial<DecoratableServer> | null | undefined;
  if (typeof fastify?.decorateRequest !== 'function' || typeof fastify.hasRequestDecorator !== 'function') return false;
  if (fastify.hasRequestDecorator('principal')) return false;
  try {
    fastify.decorateRequest('principal', undefined);
  } catch {
    return false;
  }
  slotDeclared = true;
  return true;
}
