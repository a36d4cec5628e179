import type { ExecutionContext } from '@nestjs/common';
import type { GatehouseRequest } from './gatehouse-request.interface.js';

type Headers = GatehouseRequest['headers'];

/** One request per message: guards and `@CurrentPrincipal()` of one message share it. */
const messageRequests = new WeakMap<object, GatehouseRequest>();

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value) && value.length === 1) return text(value[0]);
  return undefined;
}

/** Lower-cased string entries of a header-like record; cookies never count outside a browser. */
function fromRecord(record: unknown): Headers {
  const headers: Headers = {};
  if (typeof record !== 'object' || record === null) return headers;
  for (const [name, value] of Object.entries(record)) {
    const key = name.toLowerCase();
    if (key === 'cookie') continue;
    // A repeated entry stays an array: readHeader treats it as ambiguous, as for HTTP.
    headers[key] = Array.isArray(value) && value.length > 1 ? value.map((item) => text(item) ?? '') : text(value);
  }
  return headers;
}

/**
 * The metadata of one message, whatever the transport: TCP and Redis packet `metadata` (Nest 12's
 * `getMetadata()`), NATS headers, gRPC `Metadata`, RabbitMQ message headers, Kafka headers, MQTT 5
 * user properties.
 */
function metadataOf(transport: unknown): Headers {
  if (typeof transport !== 'object' || transport === null) return {};
  const candidate = transport as {
    getMetadata?(): unknown;
    getHeaders?(): unknown;
    getMap?(): unknown;
    getMessage?(): { properties?: { headers?: unknown }; headers?: unknown } | undefined;
    getPacket?(): { properties?: { userProperties?: unknown } } | undefined;
  };
  if (typeof candidate.getMap === 'function') return fromRecord(candidate.getMap());
  if (typeof candidate.getMetadata === 'function') return fromRecord(candidate.getMetadata());
  if (typeof candidate.getHeaders === 'function') {
    const nats = candidate.getHeaders() as { keys?(): string[]; get?(name: string): string } | undefined;
    if (nats && typeof nats.keys === 'function' && typeof nats.get === 'function') {
      return fromRecord(Object.fromEntries(nats.keys().map((name) => [name, nats.get?.(name)])));
    }
    return fromRecord(nats);
  }
  if (typeof candidate.getPacket === 'function') return fromRecord(candidate.getPacket()?.properties?.userProperties);
  if (typeof candidate.getMessage === 'function') {
    const message = candidate.getMessage();
    return fromRecord(message?.properties?.headers ?? message?.headers);
  }
  return {};
}

/**
 * The request of a microservice message: its metadata as headers (`authorization: Bearer …`, the
 * API-key header), never its payload, so a handler's data cannot pose as a credential.
 */
export function rpcRequestOf(context: ExecutionContext): GatehouseRequest {
  const data = context.getArgByIndex<unknown>(0);
  const transport = context.getArgByIndex<unknown>(1);
  const key = typeof transport === 'object' && transport !== null ? transport : typeof data === 'object' && data !== null ? data : undefined;
  let request = key ? messageRequests.get(key) : undefined;
  if (request) return request;
  const pattern = (transport as { getPattern?(): unknown } | undefined)?.getPattern?.();
  request = { headers: metadataOf(transport), method: 'RPC', url: typeof pattern === 'string' ? pattern : '' };
  if (key) messageRequests.set(key, request);
  return request;
}
