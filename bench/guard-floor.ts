import { Controller, Get, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiKeyAuth, CurrentPrincipal, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { setRequestPrincipal } from '../libs/core/src/principal-slot.js';

/** Where the floor route is mounted: `GET /me` under another path, guarded by the floor. */
export const GUARD_FLOOR_PATH = '/bench/guard-floor';

/**
 * `GET /me` again, for the floor rows: the in-server meter (guard-meter.ts) answers this
 * controller's requests with `guardFloor` instead of the guard, so the route itself is the one
 * the credential rows load, and only the work in the guard's place differs.
 */
@Controller()
export class GuardFloorController {
  @ApiKeyAuth()
  @Get(GUARD_FLOOR_PATH)
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

/**
 * The least any guard does for a credential it has seen before, in the guard's place: read the
 * credential headers, one `Map` lookup by their raw value, and attach the principal as gatehouse
 * does (`request.principal`, through the same slot). It hashes nothing and checks no expiry,
 * revocation, scope or route policy: a floor for a cached check, not a check. A credential it has
 * not seen goes to the real guard once, and the principal that guard attached is remembered.
 */
export function guardFloor(canActivate: (context: ExecutionContext) => ReturnType<CanActivate['canActivate']>): (context: ExecutionContext) => ReturnType<CanActivate['canActivate']> {
  // Indexed by the value's last characters, then compared whole, as the verified-token cache does:
  // a fresh header string is hashed for a Map lookup, and a long one (a bearer JWT) costs more.
  const known = new Map<string, { credential: string; principal: Principal }>();
  return (context) => {
    const request = context.getArgByIndex<GatehouseRequest>(0);
    const headers = request.headers;
    const credential = headers.authorization ?? headers['x-api-key'] ?? headers.cookie;
    if (typeof credential !== 'string') return canActivate(context);
    const entry = known.get(credential.slice(-INDEX_LENGTH));
    if (entry !== undefined && entry.credential === credential) {
      setRequestPrincipal(request, entry.principal);
      return true;
    }
    const result = canActivate(context);
    if (result === true && request.principal) known.set(credential.slice(-INDEX_LENGTH), { credential, principal: request.principal });
    return result;
  };
}

/** Characters of a credential header that index the floor's map. */
const INDEX_LENGTH = 24;
