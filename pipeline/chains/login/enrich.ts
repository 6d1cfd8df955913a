import type { EnrichMeta } from '../../core';
import type { ProcessingContext } from '../types';
import { appVersionInfo, ipv4Class, lookupGeo, parseUserAgent, protectIp, timeFacets } from '../../enrich';
import type { AppVersionInfo, GeoInfo, TimeFacets, UserAgentInfo } from '../../enrich';
import type { LoginEvent } from './schema';
import { isIPv4 } from 'node:net';

export interface LoginDocument extends TimeFacets {
  event_id: string;
  user_id: string;
  device_id: string;
  device_type: string;
  app_version: string;
  app?: AppVersionInfo;
  locale: string;
  ip: string;
  ip_class: string;
  geo?: GeoInfo;
  user_agent?: UserAgentInfo;
  /** The original epoch seconds, kept beside the ISO time. */
  timestamp: number;
  event_time: string;
  ingested_at: string;
  source: EnrichMeta['source'];
}

export function enrichLogin(raw: LoginEvent, meta: EnrichMeta, ctx: ProcessingContext): LoginDocument {
  const doc: LoginDocument = {
    event_id: meta.eventId,
    user_id: raw.user_id,
    device_id: raw.device_id,
    device_type: raw.device_type,
    app_version: raw.app_version,
    locale: raw.locale,
    // Geo first, on the real address: masking or hashing happens afterwards.
    ip: protectIp(raw.ip, ctx.ipMode, ctx.ipHashSecret),
    ip_class: isIPv4(raw.ip) ? ipv4Class(raw.ip) : 'ipv6',
    timestamp: raw.timestamp,
    event_time: new Date(meta.eventTimeMs).toISOString(),
    ingested_at: new Date(ctx.nowMs).toISOString(),
    ...timeFacets(meta.eventTimeMs),
    source: meta.source,
  };
  const app = appVersionInfo(raw.app_version, ctx.currentAppVersion);
  if (app) doc.app = app;
  const geo = lookupGeo(raw.ip);
  if (geo) doc.geo = geo;
  if (raw.user_agent) doc.user_agent = parseUserAgent(raw.user_agent);
  return doc;
}
