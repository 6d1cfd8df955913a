// The processor is the only service that imports this module: it reads the GeoLite table
// (~40 MiB, geoTable.ts) at start-up rather than on its first record.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NO_PLACE, loadGeoTable } from './geoTable';

export interface GeoInfo {
  country: string;
  region?: string;
  city?: string;
  timezone?: string;
  location: { lat: number; lon: number };
}

const table = loadGeoTable();

/** geoip-lite answers null for these even where its data has a range; so does this. */
const PRIVATE_V4: readonly (readonly [number, number])[] = [
  [0x0a000000, 0x0affffff],
  [0xac100000, 0xac1fffff],
  [0xc0a80000, 0xc0a8ffff],
];

/**
 * GeoLite country/city lookup (geoip-lite's data, in memory: no I/O per event).
 * Private, reserved and unknown addresses have no location and give null.
 */
export function lookupGeo(ip: string): GeoInfo | null {
  const place = placeOf(ip);
  if (place === NO_PLACE) return null;
  const names = table.names(place);
  if (!names.country) return null;
  const geo: GeoInfo = { country: names.country, location: { lat: table.lat(place), lon: table.lon(place) } };
  if (names.region) geo.region = names.region;
  if (names.city) geo.city = names.city;
  if (names.timezone) geo.timezone = names.timezone;
  return geo;
}

function placeOf(ip: string): number {
  switch (isIP(ip)) {
    case 4:
      return find4(ipv4Number(ip));
    case 6: {
      const a = ipaddr.IPv6.parse(ip);
      if (a.isIPv4MappedAddress()) return find4(ipv4Number(a.toIPv4Address().toString()));
      const p = a.parts;
      return table.find6(((p[0]! << 16) | p[1]!) >>> 0, ((p[2]! << 16) | p[3]!) >>> 0);
    }
    default:
      return NO_PLACE;
  }
}

function find4(n: number): number {
  for (const [from, to] of PRIVATE_V4) if (n >= from && n <= to) return NO_PLACE;
  return table.find4(n);
}

/** A dotted quad that isIP accepted, as an unsigned 32-bit number. */
function ipv4Number(ip: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i === ip.length ? 46 : ip.charCodeAt(i);
    if (c === 46) {
      n = ((n << 8) | octet) >>> 0;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return n;
}
