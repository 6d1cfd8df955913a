import { createHmac } from 'node:crypto';
import { isIPv4 } from 'node:net';

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

/** RFC 1918, loopback, link-local, CGNAT, multicast and reserved IPv4 ranges. */
export function ipv4Class(ip: string): 'public' | 'private' | 'reserved' {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 127 || a === 0 || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) return 'reserved';
  if (a >= 224) return 'reserved';
  return 'public';
}
