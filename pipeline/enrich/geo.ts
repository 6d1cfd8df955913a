import type geoipLite from 'geoip-lite';

/**
 * geoip-lite reads its whole database into memory when loaded (~110 MiB RSS). Only the
 * processor looks addresses up, but the indexer and the producer import this module
 * through the chain definitions: loading on first use keeps that memory out of them.
 */
let geoip: typeof geoipLite | undefined;

/** Loads the database now, so the first record does not pay for it (processor start). */
export function loadGeoDatabase(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  geoip ??= require('geoip-lite') as typeof geoipLite;
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
  loadGeoDatabase();
  const hit = geoip!.lookup(ip);
  if (!hit) return null;
  const geo: GeoInfo = { country: hit.country, location: { lat: hit.ll[0], lon: hit.ll[1] } };
  if (hit.region) geo.region = hit.region;
  if (hit.city) geo.city = hit.city;
  if (hit.timezone) geo.timezone = hit.timezone;
  return geo;
}
