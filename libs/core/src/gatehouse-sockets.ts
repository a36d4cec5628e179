import { Injectable } from '@nestjs/common';
import { refusalBody } from './context-refusal.js';
import { GatehouseError } from './gatehouse.error.js';
import { MechanismRegistry } from './mechanism-registry.js';
import { setRequestPrincipal } from './principal-slot.js';
import type { Principal } from './principal.interface.js';
import { closeSocket, recordHandshake, sendRefusal } from './socket-request.seam.js';

/**
 * Authenticates a WebSocket handshake once, when the socket connects: a bearer token in the
 * `Authorization` header or the handshake payload (socket.io `auth: { token }`), an API key in
 * its header or payload, or the session cookie with an allowed `Origin`. A present but invalid
 * credential gets an `exception` event with its code and the socket is closed (ws: close code
 * 4401). No credential leaves the socket open for `@Public()` handlers. The guard then re-checks
 * the same credential on every message, so a revoked or expired one stops at its next message.
 *
 * @example handleConnection(client: Socket, request: IncomingMessage) { return this.sockets.connect(client, request); }
 */
@Injectable()
export class GatehouseSockets {
  constructor(private readonly registry: MechanismRegistry) {}

  /**
   * Records and checks the handshake; for `ws` pass the upgrade request Nest hands
   * `handleConnection(client, request)` (socket.io's is on the socket). Resolves to the principal,
   * or undefined when no credential was sent or it was refused (the socket is then closing).
   */
  async connect(client: object, upgrade?: { headers: Record<string, string | string[] | undefined>; url?: string }): Promise<Principal | undefined> {
    const request = recordHandshake(client, upgrade);
    if (!request) throw new TypeError('GatehouseSockets.connect(client, request): pass the upgrade request of a ws socket');
    const present = this.registry.all().flatMap((mechanism) => {
      const credential = mechanism.extract(request);
      return credential === undefined ? [] : [{ mechanism, credential }];
    });
    if (present.length === 0) return undefined;
    const explicit = present.filter(({ mechanism }) => !mechanism.ambient);
    try {
      if (explicit.length > 1) throw new GatehouseError('credentials_conflict');
      // The guard's precedence: a header credential wins over the ambient cookie.
      const { mechanism, credential } = explicit[0] ?? present[0]!;
      const principal = await mechanism.authenticate(credential, request);
      if (principal instanceof GatehouseError) throw principal;
      setRequestPrincipal(request, principal);
      return principal;
    } catch (error) {
      if (!(error instanceof GatehouseError)) throw error;
      sendRefusal(client, refusalBody(error));
      closeSocket(client, error.code);
      return undefined;
    }
  }
}
