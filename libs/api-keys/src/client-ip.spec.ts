import type { GatehouseRequest } from '@gatehouse/core';
import { clientIp } from './client-ip.js';

/** A request whose `ip` getter counts its reads, like Express's. */
function request(socket: object, forwardedFor: string | undefined, address: () => string): GatehouseRequest & { reads: number } {
  const req = { socket, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, reads: 0 } as unknown as GatehouseRequest & { reads: number };
  Object.defineProperty(req, 'ip', {
    get() {
      req.reads += 1;
      return address();
    },
  });
  return req;
}

describe('clientIp', () => {
  it('reads the address once per connection while X-Forwarded-For stays the same', () => {
    const socket = {};
    const first = request(socket, undefined, () => '10.0.0.1');
    const second = request(socket, undefined, () => '10.0.0.1');
    expect(clientIp(first)).toBe('10.0.0.1');
    expect(clientIp(second)).toBe('10.0.0.1');
    expect(first.reads + second.reads).toBe(1);
  });

  it('reads it again for another X-Forwarded-For or another connection', () => {
    const socket = {};
    expect(clientIp(request(socket, '203.0.113.7', () => '203.0.113.7'))).toBe('203.0.113.7');
    expect(clientIp(request(socket, '198.51.100.9', () => '198.51.100.9'))).toBe('198.51.100.9');
    expect(clientIp(request(socket, undefined, () => '10.0.0.1'))).toBe('10.0.0.1');
    expect(clientIp(request({}, '198.51.100.9', () => '10.9.9.9'))).toBe('10.9.9.9');
  });

  it('falls back to request.ip without a connection (Fastify keeps it on raw)', () => {
    const raw = { socket: {} };
    const fastify = { raw, headers: {}, ip: '10.1.1.1' } as unknown as GatehouseRequest;
    expect(clientIp(fastify)).toBe('10.1.1.1');
    expect(clientIp({ headers: {}, ip: '10.2.2.2' } as unknown as GatehouseRequest)).toBe('10.2.2.2');
  });
});
