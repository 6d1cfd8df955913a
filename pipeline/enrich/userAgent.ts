import { UAParser } from 'ua-parser-js';

/** Who sent the request: a person's browser or app, a crawler, a scripted HTTP client. */
export const AgentClass = { PERSON: 'person', BOT: 'bot', TOOL: 'tool', UNKNOWN: 'unknown' } as const;
export type AgentClass = (typeof AgentClass)[keyof typeof AgentClass];

/** Where `device_type` came from: ua-parser's own answer, or a known browser on a desktop OS. */
export const DeviceTypeSource = { PARSER: 'parser', DERIVED: 'derived' } as const;
export type DeviceTypeSource = (typeof DeviceTypeSource)[keyof typeof DeviceTypeSource];

export interface UserAgentInfo {
  original: string;
  agent_class: AgentClass;
  browser?: string;
  browser_version?: string;
  os?: string;
  os_version?: string;
  /** Absent when neither the parser nor an honest derivation gives one: never a default. */
  device_type?: string;
  device_type_source?: DeviceTypeSource;
  device_vendor?: string;
  device_model?: string;
}

// ua-parser-js 1.x knows browsers and devices but not crawlers or HTTP libraries, and
// reports no device type for desktops. Crawlers name themselves (a versioned *bot, *spider or
// *crawler product, or a "+http://..." info link); scripted clients lead with their library's
// product token.
const BOT = /(?:bot|crawler|spider)\/\d|\+https?:\/\/|slurp|facebookexternalhit|mediapartners-google|feedfetcher|bingpreview|ia_archiver/i;
const TOOL =
  /^(curl|wget|python-requests|python-urllib|python-httpx|aiohttp|httpie|go-http-client|okhttp|java|apache-httpclient|jakarta|axios|node-fetch|undici|got|libwww-perl|lwp|postmanruntime|insomnia|dart|ruby|faraday|guzzlehttp|restsharp|powershell|winhttp|reqwest|rest-client)(?=\/|\s|$)/i;
const DESKTOP_OS = new Set(['Windows', 'Mac OS', 'Linux', 'Ubuntu', 'Debian', 'Fedora', 'Mint', 'Arch', 'Chromium OS', 'FreeBSD', 'OpenBSD', 'NetBSD', 'Solaris', 'openSUSE', 'CentOS', 'Red Hat']);

// Real traffic repeats a few hundred user-agent strings; parsing is the most expensive
// enrichment step (regex tables), so remember recent answers. Bounded: a flood of unique
// strings evicts old entries instead of growing memory.
const CACHE_LIMIT = 5000;
const cache = new Map<string, UserAgentInfo>();

export function parseUserAgent(ua: string): UserAgentInfo {
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = new UAParser(ua).getResult();
  const agentClass: AgentClass = BOT.test(ua) ? AgentClass.BOT : TOOL.test(ua.trim()) ? AgentClass.TOOL : r.browser.name ? AgentClass.PERSON : AgentClass.UNKNOWN;
  const info: UserAgentInfo = { original: ua, agent_class: agentClass };
  if (r.browser.name) info.browser = r.browser.name;
  if (r.browser.version) info.browser_version = r.browser.version;
  if (r.os.name) info.os = r.os.name;
  if (r.os.version) info.os_version = r.os.version;
  if (r.device.type) {
    info.device_type = r.device.type;
    info.device_type_source = DeviceTypeSource.PARSER;
  } else if (agentClass === AgentClass.PERSON && r.os.name && DESKTOP_OS.has(r.os.name)) {
    info.device_type = 'desktop';
    info.device_type_source = DeviceTypeSource.DERIVED;
  }
  if (r.device.vendor) info.device_vendor = r.device.vendor;
  if (r.device.model) info.device_model = r.device.model;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(ua, info);
  return info;
}
