import { Controller, Get, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiKeyAuth, CurrentPrincipal, GatehouseError, type AnyErrorCode, type GatehouseRequest, type Principal } from '@gatehouse/core';
import { setRequestPrincipal } from '../libs/core/src/principal-slot.js';
import { rejectSoon } from '../libs/core/src/reject-soon.js';
import { verifyJwsSignature } from '../libs/tokens/src/jws-signature.js';
import type { KeyRing } from '@gatehouse/tokens';

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
 * The least any guard does, in the guard's place, for a credential it has seen before: read the
 * credential headers, one `Map` lookup by their raw value, then attach the principal as gatehouse
 * does (`request.principal`, through the same slot), or, for a credential the guard refused,
 * answer as gatehouse does: a new 401 `GatehouseError` of the same code in a promise that rejects a
 * microtask later (`rejectSoon`).
 * It hashes nothing and checks no expiry, revocation, scope, route policy or failure budget: a
 * floor for a cached check or a refusal, not a check. A credential it has not seen goes to the
 * real guard, and what that guard decided is remembered.
 *
 * With `checkSignature`, a bearer token it has not seen costs the least any check of a first-seen
 * token costs: its signature checked once (`ringSignatureCheck`), then, if it holds, the principal
 * the real guard attached for the first bearer token it accepted, attached and remembered as the
 * verified-token cache would (no claims parsed, no principal built). A token whose signature fails,
 * and any token before the real guard has accepted one, goes to the real guard.
 */
export function guardFloor(
  canActivate: (context: ExecutionContext) => ReturnType<CanActivate['canActivate']>,
  checkSignature?: (token: string) => boolean,
): (context: ExecutionContext) => ReturnType<CanActivate['canActivate']> {
  // Indexed by the value's last characters, then compared whole, as the verified-token cache does:
  // a fresh header string is hashed for a Map lookup, and a long one (a bearer JWT) costs more.
  const known = new Map<string, Decision>();
  let bearerPrincipal: Principal | undefined;
  return (context) => {
    const request = context.getArgByIndex<GatehouseRequest>(0);
    const headers = request.headers;
    const credential = headers.authorization ?? headers['x-api-key'] ?? headers.cookie;
    if (typeof credential !== 'string') return canActivate(context);
    const decision = known.get(credential.slice(-INDEX_LENGTH));
    if (decision !== undefined && decision.credential === credential) {
      if (decision.refusal !== undefined) return rejectSoon(new GatehouseError(decision.refusal.code, { mechanism: decision.refusal.mechanism }));
      setRequestPrincipal(request, decision.principal!);
      return true;
    }
    const remember = (decided: Omit<Decision, 'credential'>) => known.set(credential.slice(-INDEX_LENGTH), { credential, ...decided });
    const bearer = credential.startsWith(BEARER) && credential === headers.authorization;
    if (bearer && bearerPrincipal !== undefined && checkSignature?.(credential.slice(BEARER.length))) {
      remember({ principal: bearerPrincipal });
      setRequestPrincipal(request, bearerPrincipal);
      return true;
    }
    const result = canActivate(context);
    if (result === true && request.principal) {
      remember({ principal: request.principal });
      if (bearer) bearerPrincipal ??= request.principal;
    }
    else if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof GatehouseError && error.status === 401) remember({ refusal: { code: error.code, mechanism: error.details.mechanism } });
      });
    }
    return result;
  };
}

/** What the real guard decided for one credential header value. */
interface Decision {
  credential: string;
  principal?: Principal;
  refusal?: { code: AnyErrorCode; mechanism: string | undefined };
}

/** Characters of a credential header that index the floor's map. */
const INDEX_LENGTH = 24;
const BEARER = 'Bearer ';

/**
 * One `crypto.verify` of a compact JWS's signature over its signing input with the ring's active
 * key, through the same `verifyJwsSignature` that `AccessTokenVerifier` calls for a first-seen
 * token of its ring, and nothing else: no header, claims or key id read.
 */
export function ringSignatureCheck(ring: KeyRing): (token: string) => boolean {
  const { alg, publicKey } = ring.active();
  return (token) => verifyJwsSignature(alg, publicKey, token, token.lastIndexOf('.'));
}
