import { Controller, Get } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CurrentPrincipal, Public, type Principal } from '@gatehouse/core';

/** The bench's reference route: where it is mounted, and the row that loads it. */
export const PRINCIPAL_SHAPED_PATH = '/bench/principal-shaped';

const id = () => randomBytes(16).toString('base64url');
const now = Date.now();

/** What `GET /me` returns for an access token, with the same fields and lengths (273 bytes of JSON). */
const SHAPE: Principal = {
  kind: 'user',
  subject: randomUUID(),
  scopes: ['orders:read', 'orders:write', 'api-keys:manage'],
  credential: { mechanism: 'jwt', id: id(), expiresAt: now + 600_000, sessionId: id(), authTime: now },
};

/**
 * A public route shaped like `GET /me`: the same `@CurrentPrincipal()` parameter (so the app's
 * global pipes run on it) and a principal-sized JSON body, with no credential check. The distance
 * from it to `GET /me` is what authentication adds; the distance from `GET /` to it is what the
 * handler's shape adds. Mounted by the bench server only.
 */
@Controller()
export class PrincipalShapedController {
  @Public()
  @Get(PRINCIPAL_SHAPED_PATH)
  shaped(@CurrentPrincipal() principal: Principal | undefined): Principal {
    return principal ?? SHAPE;
  }
}
