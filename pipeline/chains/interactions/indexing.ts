import { bool, chainIndex, date, double, keyword, long, qualityMapping, sourceFields, timeFacetFields } from '../mappings';
import { ChainName, type IndexFacet } from '../types';
import { interactionsTopics } from './topics';

export const interactionsIndexing: IndexFacet = {
  ...interactionsTopics,
  index: chainIndex(ChainName.INTERACTIONS, {
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
    quality: qualityMapping,
    source: sourceFields,
  }),
};
