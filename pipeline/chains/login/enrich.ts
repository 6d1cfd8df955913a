import type { EnrichMeta } from '../../core';
import type { ProcessingContext } from '../types';
import { appVersionInfo, IpClass, ipClass, lookupGeo, parseUserAgent, protectIp, timeFacets } from '../../enrich';
import type { AppVersionInfo, GeoInfo, TimeFacets, UserAgentInfo } from '../../enrich';
import { qualityOf, type Quality } from '../fieldDefects';
import type { ProfileBlock } from '../profiles/profileTable';
import type { LoginEvent } from './schema';
import { isEpochMs } from './timestamp';

export interface LoginDocument extends TimeFacets {
  event_id: string;
  user_id: string;
  device_id: string;
  device_type: string;
  app_version?: string;
  app?: AppVersionInfo;
  locale?: string;
  ip?: string;
  ip_class?: IpClass;
  geo?: GeoInfo;
  user_agent?: UserAgentInfo;
  /** The event's epoch seconds, kept beside the ISO time. */
  timestamp: number;
  event_time: string;
  ingested_at: string;
  /** The user's latest profile as the processor knew it then; absent when it joins no profiles. */
  profile?: (ProfileBlock & { found: true }) | { found: false };
  quality: Quality;
  source: EnrichMeta['source'];
}

export const LOGIN_DIALECT = 'takehome';

export function enrichLogin(raw: LoginEvent, meta: EnrichMeta, ctx: ProcessingContext): LoginDocument {
  const doc: LoginDocument = {
    event_id: meta.eventId,
    user_id: raw.user_id,
    device_id: raw.device_id,
    device_type: raw.device_type.value ?? 'unknown',
    timestamp: Math.floor(meta.eventTimeMs / 1000),
    event_time: new Date(meta.eventTimeMs).toISOString(),
    ingested_at: new Date(ctx.nowMs).toISOString(),
    ...timeFacets(meta.eventTimeMs),
    quality: qualityOf(LOGIN_DIALECT, []),
    source: meta.source,
  };
  const defects = [raw.device_type.defect, raw.app_version.defect, raw.locale.defect, raw.ip.defect, raw.user_agent.defect];
  if (raw.locale.value !== undefined) doc.locale = raw.locale.value;
  if (raw.app_version.value !== undefined) {
    doc.app_version = raw.app_version.value;
    const app = appVersionInfo(raw.app_version.value, ctx.currentAppVersion);
    if (app) doc.app = app;
    else defects.push('app_version_unparseable');
  }
  const ip = raw.ip.value;
  if (ip !== undefined) {
    const cls = ipClass(ip)!;
    // Geo first, on the real address: masking or hashing happens afterwards. Special-use
    // addresses have no place, whatever a GeoLite table might say about them.
    doc.ip = protectIp(ip, ctx.ipMode, ctx.ipHashSecret);
    doc.ip_class = cls;
    const geo = cls === IpClass.PUBLIC ? lookupGeo(ip) : null;
    if (geo) doc.geo = geo;
  }
  if (raw.user_agent.value) doc.user_agent = parseUserAgent(raw.user_agent.value);
  if (ctx.profiles) {
    const p = ctx.profiles.lookup(raw.user_id);
    doc.profile = p ? { found: true, ...p } : { found: false };
  }
  doc.quality = qualityOf(LOGIN_DIALECT, defects, isEpochMs(raw.timestamp) ? ['timestamp_ms_to_s'] : []);
  return doc;
}
