import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { GatehouseConfigurationError, type ConfigurationSite } from './configuration-error.js';
import type { GatehouseRequest } from './gatehouse-request.interface.js';

/**
 * Which proxies in front of the app are trusted to say who the client is (`X-Forwarded-For`):
 * a number of hops, or a list of addresses / CIDRs / proxy-addr names (`loopback`, `linklocal`,
 * `uniquelocal`). `undefined` trusts none: the socket's peer is the client.
 */
export type TrustProxy = number | readonly string[];

/** Turns a `TrustProxy` into proxy-addr's predicate; hops count from the socket inwards. `site` names the option in errors. */
export function compileTrustProxy(
  trust: TrustProxy | undefined,
  site: ConfigurationSite = { module: 'GatehouseModule', option: 'trustProxy' },
): (address: string, hop: number) => boolean {
  if (trust === undefined) return () => false;
  const problem = 'must be a non-negative number of hops or a list of addresses and CIDRs';
  if (typeof trust === 'number') {
    if (!Number.isInteger(trust) || trust < 0) throw GatehouseConfigurationError.at(site, problem);
    return (_address, hop) => hop < trust;
  }
  try {
    return proxyaddr.compile([...trust]);
  } catch (error) {
    throw GatehouseConfigurationError.at(site, `${problem} (${(error as Error).message})`, { cause: error });
  }
}

/** The Node request behind an adapter's request (Fastify keeps it in `raw`). */
function nodeRequestOf(request: GatehouseRequest): IncomingMessage | undefined {
  const candidate = (request as { raw?: IncomingMessage }).raw ?? (request as unknown as IncomingMessage);
  return candidate.socket ? candidate : undefined;
}

/**
 * The client's address as gatehouse counts it: the socket's peer, or the nearest untrusted
 * `X-Forwarded-For` entry when the peer is a trusted proxy. IPv4-mapped IPv6 reads as IPv4.
 */
export function clientAddressOf(request: GatehouseRequest, trust: (address: string, hop: number) => boolean): string | undefined {
  const node = nodeRequestOf(request);
  let address: string | undefined;
  if (node?.socket.remoteAddress) address = proxyaddr(node, trust);
  else address = request.ip;
  if (address?.startsWith('::ffff:') && isIPv4(address.slice(7))) address = address.slice(7);
  return address;
}

/** Expands an IPv6 address to its first four 16-bit groups (the /64), or undefined. */
function ipv6Prefix64(ip: string): string | undefined {
  const zone = ip.indexOf('%');
  const address = zone >= 0 ? ip.slice(0, zone) : ip;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  // An embedded IPv4 tail counts as two groups.
  const groups = tail.at(-1)?.includes('.') || head.at(-1)?.includes('.') ? 7 : 8;
  const missing = groups - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const full = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':');
}

/**
 * The bucket a per-address limit counts against: an IPv4 address itself, the /64 of an IPv6 one
 * (one host usually holds a whole /64, so cycling addresses inside it gains nothing).
 *
 * @example addressBucket('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 */
export function addressBucket(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (isIPv4(ip)) return ip;
  if (ip.toLowerCase().startsWith('::ffff:') && isIPv4(ip.slice(7))) return ip.slice(7);
  if (isIPv6(ip)) {
    const prefix = ipv6Prefix64(ip.toLowerCase());
    if (prefix) return `${prefix}::/64`;
  }
  return 'unknown';
}
