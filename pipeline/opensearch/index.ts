export { createOpenSearchClient } from './client';
export { ensureIndex, describe as describeOpenSearchError, INDEXED_AT_PIPELINE } from './indices';
export type { IndexSpec } from './types';
export { BulkIndexer } from './bulkIndexer';
export type { BulkCallbacks, BulkItem, BulkStats, ItemRejection } from './bulkIndexer';
export type { BulkIndexerOptions, OpenSearchConnection } from './options';
export { accessError, checkOpenSearchAccess, deniedAtStart } from './access';
export type { AccessTarget } from './access';
