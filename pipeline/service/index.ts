export { runService } from './runService';
export { startService } from './startService';
export type { StartOptions } from './startService';
export { closeInOrder } from './closeInOrder';
export type { CloseStep, Service, ServiceContext, ServiceDefinition, ServiceIo, ServiceSchema, ServiceWiring } from './types';
export { defaultTransactionalId, kafkaClients } from './kafkaClients';
export { ensureKafkaAccess } from './ensureKafkaAccess';
export type { AccessSettings } from './ensureKafkaAccess';
export type { KafkaClients, KafkaClientSettings, KafkaClientsOptions } from './kafkaClients';
