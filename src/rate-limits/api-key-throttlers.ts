import type { ThrottlerOptions } from '@nestjs/throttler';
import { isIPv6 } from 'node:net';
import { ipNetwork } from '@gatehouse/api-keys';
import { httpRequestOf, type GatehouseRequest } from '@gatehouse/core';
import type { DemoConfig } from '../config/demo.config.js';

const principalOf = (request: unknown) => (request as GatehouseRequest).principal;

/** The client address a per-IP budget counts against: the address itself, or its /64 for IPv6 (one host often holds a whole /64). */
export const clientAddress = (request: unknown): string => {
  const ip = (request as GatehouseRequest).ip ?? '';
  return isIPv6(ip) ? (ipNetwork(ip) ?? ip) : ip;
};

/**
 * Per-API-key and per-IP anonymous budgets. The throttler guard runs after `GatehouseGuard`, so
 * the principal is known: requests authenticated by a key count against that key alone (one
 * exhausted key never throttles its owner's other keys); requests with no credential count
 * against their address. Buckets are per budget, not per route.
 */
export function apiKeyThrottlers(config: DemoConfig): ThrottlerOptions[] {
  return [
    {
      name: 'api-key',
      limit: config.apiKeyRateLimit.limit,
      ttl: config.apiKeyRateLimit.ttlSeconds * 1000,
      skipIf: (context) => principalOf(httpRequestOf(context))?.kind !== 'api-key',
      getTracker: (request) => principalOf(request)?.credential.id ?? '',
      generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    },
    {
      name: 'anonymous',
      limit: config.anonymousRateLimit.limit,
      ttl: config.anonymousRateLimit.ttlSeconds * 1000,
      skipIf: (context) => principalOf(httpRequestOf(context)) !== undefined,
      getTracker: clientAddress,
      generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    },
  ];
}
