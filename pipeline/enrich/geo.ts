import type GeoIp from 'geoip-lite';

/**
 * Loaded on the first lookup, not on import: geoip-lite reads ~110 MB of tables into memory
 * when required, and every service imports the chain definitions (hence this module),
 * while only the processor looks addresses up. The indexer and producer stay ~110 MB smaller.
 */
let geoip: typeof GeoIp | undefined;
function database(): typeof GeoIp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  geoip ??= require('geoip-lite') as typeof GeoIp;
  return geoip;
}

export interface GeoInfo {
  country: string;
  region?: string;
  city?: string;
  timezone?: string;
  location: { lat: number; lon: number };
}

/**
 * GeoLite country/city lookup from geoip-lite's in-memory tables (no I/O per event).
 * Private, reserved and unknown addresses have no location and give null.
 */
export function lookupGeo(ip: string): GeoInfo | null {
  const hit = database().lookup(ip);
  if (!hit) return null;
  const geo: GeoInfo = { country: hit.country, location: { lat: hit.ll[0], lon: hit.ll[1] } };
  if (hit.region) geo.region = hit.region;
  if (hit.city) geo.city = hit.city;
  if (hit.timezone) geo.timezone = hit.timezone;
  return geo;
}
