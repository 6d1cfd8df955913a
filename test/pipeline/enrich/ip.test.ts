import { IpMode } from '../../../pipeline/enrich';
import { ipClass, maskIp, protectIp } from '../../../pipeline/enrich';

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

describe('ipClass', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
    ['172.15.0.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.63.255.255', 'public'],
    ['192.169.0.1', 'public'],
    ['203.0.113.9', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['192.0.2.1', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['2001:2::1', 'benchmarking'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['100.127.255.255', 'carrier_grade_nat'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'unique_local'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.175.48.1', 'anycast'],
    ['64:ff9b::808:808', 'translation'],
    ['2002:c000:204::1', 'tunnel'],
    ['2001::1', 'tunnel'],
    ['100::1', 'discard'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:192.168.0.1', 'private'],
  ])('classifies %s as %s', (ip, expected) => {
    expect(ipClass(ip)).toBe(expected);
  });

  it.each(['999.1.1.1', '300.12.1.999', '127.1', '0x7f.0.0.1', '1.2.3', '::g', 'localhost', ''])('gives null for %j, which is not an address', (ip) => {
    expect(ipClass(ip)).toBeNull();
  });
});
