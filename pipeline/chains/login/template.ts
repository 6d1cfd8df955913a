import { bool, date, geoFields, indexTemplate, integer, keyword, short, sourceFields, timeFacetFields, userAgentFields } from '../mappings';

export const loginIndex = {
  alias: 'streamdex-login',
  initialIndex: 'streamdex-login-000001',
  templateName: 'streamdex-login',
  timeField: 'event_time',
  template: indexTemplate('streamdex-login-*', {
    event_id: keyword,
    user_id: keyword,
    device_id: keyword,
    device_type: keyword,
    app_version: keyword,
    app: { properties: { major: short, minor: short, patch: integer, outdated: bool } },
    locale: keyword,
    ip: keyword,
    ip_class: keyword,
    geo: geoFields,
    user_agent: userAgentFields,
    timestamp: { type: 'date', format: 'epoch_second' },
    event_time: date,
    ingested_at: date,
    ...timeFacetFields,
    source: sourceFields,
  }),
} as const;
