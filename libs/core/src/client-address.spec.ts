import { addressBucket, clientAddressOf, compileTrustProxy } from './client-address.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';

const requestFrom = (peer: string, forwarded?: string): GatehouseRequest =>
  ({ headers: forwarded ? { 'x-forwarded-for': forwarded } : {}, method: 'GET', url: '/', socket: { remoteAddress: peer } }) as unknown as GatehouseRequest;

describe('addressBucket', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::9', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('%s → %s', (ip, bucket) => {
    expect(addressBucket(ip)).toBe(bucket);
  });

  it('puts every address of one /64 in one bucket and the next /64 in another', () => {
    expect(addressBucket('2001:db8:0:7::1')).toBe(addressBucket('2001:db8:0:7:ffff:ffff:ffff:ffff'));
    expect(addressBucket('2001:db8:0:7::1')).not.toBe(addressBucket('2001:db8:0:8::1'));
  });
});

describe('clientAddressOf', () => {
  it('ignores X-Forwarded-For unless the peer is trusted', () => {
    expect(clientAddressOf(requestFrom('127.0.0.1', '198.51.100.1'), compileTrustProxy(undefined))).toBe('127.0.0.1');
    expect(clientAddressOf(requestFrom('127.0.0.1', '198.51.100.1'), compileTrustProxy(['loopback']))).toBe('198.51.100.1');
    expect(clientAddressOf(requestFrom('10.0.0.5', '198.51.100.1'), compileTrustProxy(['loopback']))).toBe('10.0.0.5');
  });

  it('walks back only as many hops as trusted, so a client cannot pick its own address', () => {
    const spoofed = requestFrom('10.0.0.1', '6.6.6.6, 198.51.100.1');
    expect(clientAddressOf(spoofed, compileTrustProxy(1))).toBe('198.51.100.1');
    expect(clientAddressOf(spoofed, compileTrustProxy(2))).toBe('6.6.6.6');
    expect(clientAddressOf(spoofed, compileTrustProxy(['10.0.0.0/8']))).toBe('198.51.100.1');
  });

  it('reads Fastify requests through raw, and IPv4-mapped peers as IPv4', () => {
    const fastify = { headers: {}, method: 'GET', url: '/', raw: requestFrom('::ffff:192.0.2.3') } as unknown as GatehouseRequest;
    expect(clientAddressOf(fastify, compileTrustProxy(undefined))).toBe('192.0.2.3');
  });

  it('refuses a negative hop count', () => {
    expect(() => compileTrustProxy(-1)).toThrow(TypeError);
  });
});
