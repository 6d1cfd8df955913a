export { createOpenSearchClient } from './client';
export { ensureIndex, describe as describeOpenSearchError } from './indices';
export { BulkIndexer } from './bulkIndexer';
export type { BulkCallbacks, BulkItem, BulkStats, ItemRejection } from './bulkIndexer';
export type { BulkIndexerOptions, OpenSearchConnection } from './options';
