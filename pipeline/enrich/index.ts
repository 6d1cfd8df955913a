export { lookupGeo } from './geo';
export type { GeoInfo } from './geo';
export { IpClass, IpMode, protectIp, maskIp, ipClass } from './ip';
export { parseUserAgent } from './userAgent';
export type { UserAgentInfo } from './userAgent';
export { appVersionInfo, parseVersion } from './appVersion';
export type { AppVersionInfo } from './appVersion';
export { timeFacets } from './time';
export type { TimeFacets } from './time';
