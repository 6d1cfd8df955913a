import { bool, chainIndex, date, geoFields, integer, keyword, short, qualityMapping, sourceFields, timeFacetFields, userAgentFields } from '../mappings';
import { ChainName, type IndexFacet } from '../types';
import { loginTopics } from './topics';

export const loginIndexing: IndexFacet = {
  ...loginTopics,
  index: chainIndex(ChainName.LOGIN, {
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
    profile: { properties: { found: bool, nationality: keyword, country: keyword, age_bracket: keyword, registration_year: short } },
    timestamp: { type: 'date', format: 'epoch_second' },
    event_time: date,
    ingested_at: date,
    ...timeFacetFields,
    quality: qualityMapping,
    source: sourceFields,
  }),
};
