import { readHeader, type GatehouseRequest } from '@gatehouse/core';
import type { SessionMeta } from './session.interfaces.js';

/**
 * The client details a session records, read from the request: IP (as the adapter resolved it,
 * honouring its `trust proxy` setting) and `User-Agent`.
 */
export function sessionMetaFrom(request: GatehouseRequest): SessionMeta {
  return { ip: request.ip, userAgent: readHeader(request, 'user-agent') };
}
