// geoip-lite reads its whole database (~110 MiB RSS) when loaded: only the processor
// imports this module, and it pays that at start-up rather than on its first record.
import geoip from 'geoip-lite';

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
  const hit = geoip.lookup(ip);
  if (!hit) return null;
  const geo: GeoInfo = { country: hit.country, location: { lat: hit.ll[0], lon: hit.ll[1] } };
  if (hit.region) geo.region = hit.region;
  if (hit.city) geo.city = hit.city;
  if (hit.timezone) geo.timezone = hit.timezone;
  return geo;
}
