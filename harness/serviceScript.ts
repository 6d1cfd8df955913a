/** The project's services as `npm run build` compiles them, relative to the checkout. */
export const ServiceScript = {
  processor: 'dist/consumer-processor/src/main.js',
  indexer: 'dist/consumer-indexer/src/main.js',
  analytics: 'dist/consumer-analytics/src/main.js',
  producer: 'dist/producer/src/main.js',
  admin: 'dist/pipeline/admin/main.js',
} as const;
export type ServiceName = keyof typeof ServiceScript;
