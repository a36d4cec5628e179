import { isIPv4, isIPv6 } from 'node:net';

/** Expands an IPv6 address into its eight 16-bit groups (lower-case, no leading zeros), or undefined. */
function ipv6Groups(ip: string): string[] | undefined {
  const zone = ip.indexOf('%');
  const address = zone >= 0 ? ip.slice(0, zone) : ip;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let head = parse(halves[0]);
  let tail = halves.length === 2 ? parse(halves[1]) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  if (last && last.includes('.')) {
    const octets = last.split('.').map(Number);
    const groups = [((octets[0] << 8) | octets[1]).toString(16), ((octets[2] << 8) | octets[3]).toString(16)];
    if (halves.length === 2) tail = [...tail.slice(0, -1), ...groups];
    else head = [...head.slice(0, -1), ...groups];
  }
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((group) => parseInt(group, 16).toString(16));
}

/**
 * The network an address belongs to, for "used from a new network" checks: the /24 of an IPv4
 * address, the /64 of an IPv6 one (IPv4-mapped IPv6 counts as IPv4). Undefined when unknown.
 *
 * @example ipNetwork('203.0.113.7') // '203.0.113.0/24'
 * @example ipNetwork('2001:db8::1') // '2001:db8:0:0::/64'
 */
export function ipNetwork(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  if (isIPv4(ip)) return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
  if (!isIPv6(ip)) return undefined;
  const groups = ipv6Groups(ip);
  if (!groups) return undefined;
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') {
    const high = parseInt(groups[6], 16);
    const low = parseInt(groups[7], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.0/24`;
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}
