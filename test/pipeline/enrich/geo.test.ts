/**
 * lookupGeo reads geoip-lite's data files into its own compact table: it must answer
 * exactly what geoip-lite's own lookup answers, at random addresses and at every kind of
 * edge (first and last address of ranges, the address after a range, gaps, IPv6, mapped IPv4).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import geoip from 'geoip-lite';
import { lookupGeo, type GeoInfo } from '../../../pipeline/enrich';
import { geoDataDir, loadGeoTable } from '../../../pipeline/enrich/geoTable';

/** What lookupGeo answered when it called geoip-lite itself. */
function byGeoipLite(ip: string): GeoInfo | null {
  const hit = geoip.lookup(ip);
  if (!hit || !hit.country) return null;
  const geo: GeoInfo = { country: hit.country, location: { lat: hit.ll[0], lon: hit.ll[1] } };
  if (hit.region) geo.region = hit.region;
  if (hit.city) geo.city = hit.city;
  if (hit.timezone) geo.timezone = hit.timezone;
  return geo;
}

const v4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const v6 = (hi: number, lo: number, tail = 0x1234) =>
  [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff, 0, 0, 0, tail].map((x) => x.toString(16)).join(':');

/** A seeded generator, so a failure names an address that fails again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mismatches(ips: Iterable<string>): { ip: string; ours: GeoInfo | null; theirs: GeoInfo | null }[] {
  const out = [];
  for (const ip of ips) {
    const ours = lookupGeo(ip);
    const theirs = byGeoipLite(ip);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) out.push({ ip, ours, theirs });
    if (out.length >= 5) break;
  }
  return out;
}

describe('lookupGeo answers as geoip-lite does', () => {
  const city4 = readFileSync(join(geoDataDir(), 'geoip-city.dat'));
  const city6 = readFileSync(join(geoDataDir(), 'geoip-city6.dat'));

  it('at 300,000 random IPv4 addresses', () => {
    const r = random(7);
    const ips = Array.from({ length: 300_000 }, () => v4(Math.floor(r() * 2 ** 32)));
    expect(ips.filter((ip) => lookupGeo(ip)).length).toBeGreaterThan(200_000);
    expect(mismatches(ips)).toEqual([]);
  });

  it('at the first and last address of every 25th IPv4 range, and the address after it', () => {
    const ips: string[] = [];
    for (let o = 0; o < city4.length; o += 24 * 25) {
      const start = city4.readUInt32BE(o);
      const end = city4.readUInt32BE(o + 4);
      ips.push(v4(start), v4(end), v4((end + 1) >>> 0));
    }
    expect(mismatches(ips)).toEqual([]);
  });

  it('at the ends of every IPv6 range and at random IPv6 addresses', () => {
    const ips: string[] = [];
    for (let o = 0; o < city6.length; o += 48 * 3) {
      ips.push(v6(city6.readUInt32BE(o), city6.readUInt32BE(o + 4), 0), v6(city6.readUInt32BE(o + 16), city6.readUInt32BE(o + 20), 0xffff));
    }
    const r = random(11);
    for (let i = 0; i < 50_000; i++) ips.push(v6(0x20000000 + Math.floor(r() * 0x10000000), Math.floor(r() * 2 ** 32)));
    expect(ips.filter((ip) => lookupGeo(ip)).length).toBeGreaterThan(50_000);
    expect(mismatches(ips)).toEqual([]);
  });

  it('for private, reserved, mapped and malformed addresses', () => {
    const ips = ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '0.0.0.0', '255.255.255.255', '::1', '::', '::ffff:8.8.8.8', '::ffff:81.2.69.160', 'fe80::1', 'not an ip', '', '1.2.3', '2001:db8::1'];
    expect(mismatches(ips)).toEqual([]);
    expect(lookupGeo('::ffff:8.8.8.8')).toEqual(lookupGeo('8.8.8.8'));
  });
});

describe('loadGeoTable', () => {
  it('holds the city data in under half of what geoip-lite reads', () => {
    const table = loadGeoTable();
    const files = ['geoip-city.dat', 'geoip-city6.dat', 'geoip-city-names.dat'].reduce((n, f) => n + readFileSync(join(geoDataDir(), f)).length, 0);
    expect(table.bytes).toBeLessThan(files / 2);
  });
});
