import { IpMode } from '../../../pipeline/enrich';
import { ipv4Class, maskIp, protectIp } from '../../../pipeline/enrich';

describe('maskIp', () => {
  it('replaces the last octet of an IPv4 address', () => {
    expect(maskIp('203.0.113.77')).toBe('203.0.113.xxx');
    expect(maskIp('8.8.8.8')).toBe('8.8.8.xxx');
  });

  it('keeps only the first four groups of a full IPv6 address', () => {
    expect(maskIp('2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toBe('2001:0db8:85a3:0000::xxxx');
  });

  it('expands a compressed IPv6 address before masking, so the interface id never leaks', () => {
    expect(maskIp('2001:db8::1')).toBe('2001:db8:0:0::xxxx');
    expect(maskIp('2001:db8:1:2:3::7')).toBe('2001:db8:1:2::xxxx');
    expect(maskIp('::1')).toBe('0:0:0:0::xxxx');
    expect(maskIp('fe80::1%eth0')).toBe('fe80:0:0:0::xxxx');
  });

  it('masks an IPv4-mapped IPv6 address down to its zero prefix', () => {
    expect(maskIp('::ffff:203.0.113.77')).toBe('0:0:0:0::xxxx');
  });
});

describe('protectIp', () => {
  const secret = 'a-secret-of-at-least-16-chars';

  it('returns the address untouched in keep mode and masked in mask mode', () => {
    expect(protectIp('203.0.113.77', IpMode.KEEP, undefined)).toBe('203.0.113.77');
    expect(protectIp('203.0.113.77', IpMode.MASK, undefined)).toBe('203.0.113.xxx');
  });

  it('hashes the same address to the same 32 hex characters every time', () => {
    const a = protectIp('203.0.113.77', IpMode.HASH, secret);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(protectIp('203.0.113.77', IpMode.HASH, secret)).toBe(a);
    expect(a).not.toContain('203');
  });

  it('hashes different addresses to different values', () => {
    expect(protectIp('203.0.113.77', IpMode.HASH, secret)).not.toBe(protectIp('203.0.113.78', IpMode.HASH, secret));
  });

  it('gives a different hash under a different secret', () => {
    expect(protectIp('203.0.113.77', IpMode.HASH, secret)).not.toBe(protectIp('203.0.113.77', IpMode.HASH, `${secret}-rotated`));
  });
});

describe('ipv4Class', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'reserved'],
    ['0.0.0.0', 'reserved'],
    ['169.254.10.10', 'reserved'],
    ['100.64.0.1', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['172.15.0.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.63.255.255', 'public'],
    ['192.169.0.1', 'public'],
  ])('classifies %s as %s', (ip, expected) => {
    expect(ipv4Class(ip)).toBe(expected);
  });
});
