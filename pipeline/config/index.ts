export { loadConfig, envBool, envInt, envList, envNumber } from './load';
export type { Env } from './load';
export { PRODUCER_TRANSACTIONAL_PREFIX, ProcessingGuarantee, guaranteeSettings, kafkaSettings, openSearchSettings, serviceSettings } from './common';
export { parseFlags } from './parseFlags';
export { kafkaSecurity } from './kafkaSecurity';
export type { KafkaSecuritySettings } from './kafkaSecurity';
export { openSearchLogin, openSearchPassword } from './openSearchSecurity';
export type { OpenSearchLogin, OpenSearchSecuritySettings } from './openSearchSecurity';
