const settled = Promise.resolve();

/**
 * A promise that rejects with `reason` one microtask from now, rather than one already rejected.
 *
 * An already rejected promise has no handler yet when it is made, so Node records it as a possible
 * unhandled rejection (an entry in a WeakMap, a closure, a queue slot) and forgets it again once
 * the handler arrives. Nest's guard consumer awaits what `canActivate` returns at once, so by the
 * time this one rejects its handler is there, and none of that bookkeeping happens. A promise
 * nobody handles is still reported as an unhandled rejection.
 */
export function rejectSoon<T = never>(reason: unknown): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    void settled.then(() => reject(reason));
  });
}
