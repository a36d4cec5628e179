import { ipNetwork } from './ip-network.js';

describe('ipNetwork', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24'],
    ['10.0.0.255', '10.0.0.0/24'],
    ['::ffff:203.0.113.7', '203.0.113.0/24'],
    ['::ffff:cb00:7107', '203.0.113.0/24'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0000:0000:ffff:0000:0000:0001', '2001:db8:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s is in %s', (ip, network) => {
    expect(ipNetwork(ip)).toBe(network);
  });

  it('treats addresses in one /24 or /64 alike and neighbours apart', () => {
    expect(ipNetwork('198.51.100.1')).toBe(ipNetwork('198.51.100.254'));
    expect(ipNetwork('198.51.100.1')).not.toBe(ipNetwork('198.51.101.1'));
    expect(ipNetwork('2001:db8:0:1::1')).toBe(ipNetwork('2001:db8:0:1:ffff::'));
    expect(ipNetwork('2001:db8:0:1::1')).not.toBe(ipNetwork('2001:db8:0:2::1'));
  });

  it.each([undefined, '', 'localhost', '999.1.1.1', '1:2:3', 'a::b::c'])('knows no network for %p', (ip) => {
    expect(ipNetwork(ip)).toBeUndefined();
  });
});
