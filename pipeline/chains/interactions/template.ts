import { bool, date, double, indexTemplate, keyword, long, sourceFields, timeFacetFields } from '../mappings';

export const interactionsIndex = {
  alias: 'streamdex-interactions',
  initialIndex: 'streamdex-interactions-000001',
  templateName: 'streamdex-interactions',
  timeField: 'event_time',
  template: indexTemplate('streamdex-interactions-*', {
    event_id: keyword,
    event_type: keyword,
    user_id: long,
    page_id: long,
    timestamp: { type: 'date', format: 'yyyy-MM-dd HH:mm:ss' },
    event_time: date,
    ingested_at: date,
    is_purchase: bool,
    revenue: double,
    amount: double,
    currency: keyword,
    query: keyword,
    ...timeFacetFields,
    source: sourceFields,
  }),
} as const;
