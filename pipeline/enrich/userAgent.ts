import { UAParser } from 'ua-parser-js';

export interface UserAgentInfo {
  original: string;
  browser?: string;
  browser_version?: string;
  os?: string;
  os_version?: string;
  device_type: string;
  device_vendor?: string;
  device_model?: string;
}

// Real traffic repeats a few hundred user-agent strings; parsing is the most expensive
// enrichment step (regex tables), so remember recent answers. Bounded: a flood of unique
// strings evicts old entries instead of growing memory.
const CACHE_LIMIT = 5000;
const cache = new Map<string, UserAgentInfo>();

export function parseUserAgent(ua: string): UserAgentInfo {
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = new UAParser(ua).getResult();
  const info: UserAgentInfo = { original: ua, device_type: r.device.type ?? 'desktop' };
  if (r.browser.name) info.browser = r.browser.name;
  if (r.browser.version) info.browser_version = r.browser.version;
  if (r.os.name) info.os = r.os.name;
  if (r.os.version) info.os_version = r.os.version;
  if (r.device.vendor) info.device_vendor = r.device.vendor;
  if (r.device.model) info.device_model = r.device.model;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(ua, info);
  return info;
}
