import { createHmac } from 'node:crypto';
import { isIP, isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';

/** What the processor does with a client address before indexing it. */
export const IpMode = { KEEP: 'keep', MASK: 'mask', HASH: 'hash' } as const;
export type IpMode = (typeof IpMode)[keyof typeof IpMode];

/**
 * Applies the configured privacy rule. Geo lookup happens before this, on the real
 * address, so masking does not cost location accuracy.
 * - mask: the take-home's a.b.c.xxx for IPv4, the first four groups for IPv6;
 * - hash: HMAC-SHA256 with a secret, so the same address links events without being readable.
 */
export function protectIp(ip: string, mode: IpMode, secret: string | undefined): string {
  switch (mode) {
    case IpMode.KEEP:
      return ip;
    case IpMode.MASK:
      return maskIp(ip);
    case IpMode.HASH:
      return createHmac('sha256', secret ?? '').update(ip).digest('hex').slice(0, 32);
  }
}

export function maskIp(ip: string): string {
  if (isIPv4(ip)) return ip.slice(0, ip.lastIndexOf('.')) + '.xxx';
  return ipv6Groups(ip).slice(0, 4).join(':') + '::xxxx';
}

/**
 * The eight groups of an IPv6 address with "::" expanded, so the kept /64 prefix never
 * includes interface-id groups ("2001:db8::1" must not come back as itself). An embedded
 * IPv4 tail (::ffff:1.2.3.4) counts as two groups.
 */
function ipv6Groups(ip: string): string[] {
  const noZone = ip.split('%')[0]!;
  const part = (s: string) => (s === '' ? [] : s.split(':')).flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g]));
  const gap = noZone.indexOf('::');
  if (gap < 0) return part(noZone);
  const head = part(noZone.slice(0, gap));
  const tail = part(noZone.slice(gap + 2));
  return [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
}

/**
 * Address classes: ipaddr.js's range names (which follow the IANA IPv4 and IPv6
 * special-purpose registries) as readable keywords. Globally routable unicast is `public`.
 */
export const IpClass = {
  PUBLIC: 'public',
  PRIVATE: 'private',
  UNIQUE_LOCAL: 'unique_local',
  LOOPBACK: 'loopback',
  LINK_LOCAL: 'link_local',
  MULTICAST: 'multicast',
  CARRIER_GRADE_NAT: 'carrier_grade_nat',
  DOCUMENTATION: 'documentation',
  BENCHMARKING: 'benchmarking',
  UNSPECIFIED: 'unspecified',
  BROADCAST: 'broadcast',
  ANYCAST: 'anycast',
  TRANSLATION: 'translation',
  TUNNEL: 'tunnel',
  DISCARD: 'discard',
  RESERVED: 'reserved',
} as const;
export type IpClass = (typeof IpClass)[keyof typeof IpClass];

const BY_RANGE: Readonly<Record<string, IpClass>> = {
  unicast: IpClass.PUBLIC,
  private: IpClass.PRIVATE,
  uniqueLocal: IpClass.UNIQUE_LOCAL,
  loopback: IpClass.LOOPBACK,
  linkLocal: IpClass.LINK_LOCAL,
  multicast: IpClass.MULTICAST,
  carrierGradeNat: IpClass.CARRIER_GRADE_NAT,
  benchmarking: IpClass.BENCHMARKING,
  unspecified: IpClass.UNSPECIFIED,
  broadcast: IpClass.BROADCAST,
  as112: IpClass.ANYCAST,
  as112v6: IpClass.ANYCAST,
  amt: IpClass.ANYCAST,
  rfc6052: IpClass.TRANSLATION,
  rfc6145: IpClass.TRANSLATION,
  '6to4': IpClass.TUNNEL,
  teredo: IpClass.TUNNEL,
  discard: IpClass.DISCARD,
};

// ipaddr.js folds these IANA blocks into `reserved`; a dashboard reader wants to see test
// traffic (documentation, benchmarking) apart from truly reserved space.
const RESERVED_SUBCLASSES: ReadonlyArray<readonly [ReturnType<typeof ipaddr.parseCIDR>, IpClass]> = [
  ['192.0.2.0/24', IpClass.DOCUMENTATION],
  ['198.51.100.0/24', IpClass.DOCUMENTATION],
  ['203.0.113.0/24', IpClass.DOCUMENTATION],
  ['2001:db8::/32', IpClass.DOCUMENTATION],
  ['3fff::/20', IpClass.DOCUMENTATION],
  ['198.18.0.0/15', IpClass.BENCHMARKING],
].map(([cidr, cls]) => [ipaddr.parseCIDR(cidr!), cls as IpClass] as const);

/**
 * The address's class, or null when it is not an IP address. Strict syntax first (node:net):
 * ipaddr.js alone would read "127.1" or "0x7f.0.0.1" as addresses.
 */
export function ipClass(ip: string): IpClass | null {
  if (!isIP(ip)) return null;
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return ipClass((addr as ipaddr.IPv6).toIPv4Address().toString());
  const range = addr.range();
  if (range === 'reserved') {
    for (const [[net, bits], cls] of RESERVED_SUBCLASSES) if (net.kind() === addr.kind() && addr.match(net, bits)) return cls;
    return IpClass.RESERVED;
  }
  return BY_RANGE[range] ?? IpClass.RESERVED;
}
