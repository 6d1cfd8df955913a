import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { serviceSettings } from '../config';
import type { BatchConsumer, BatchHandler, RecordSender } from '../kafka';
import type { Logger } from '../logger';

/** One named step of a service's shutdown; a failing step is logged and the next one runs. */
export interface CloseStep {
  readonly name: string;
  run(): unknown;
}

/** The settings the bootstrap itself reads; every service schema spreads serviceSettings. */
type BootstrapShape = Pick<typeof serviceSettings, 'LOG_LEVEL' | 'METRICS_PORT' | 'HEALTH_INTERVAL_MS' | 'HEALTH_TOPIC' | 'STREAMDEX_NAMESPACE'>;
export type ServiceSchema = z.ZodObject<BootstrapShape & z.core.$ZodLooseShape>;
export type BootstrapSettings = z.output<z.ZodObject<BootstrapShape>>;

export interface ServiceContext {
  readonly logger: Logger;
  readonly registry: Registry;
  /** For failures the service cannot carry on after: logs fatal (the error's message by default), closes, exits 1. */
  fail(err: unknown, message?: string): void;
  /** Steps the bootstrap owns (the consumer loop, the metrics server), placed by the service in its close order. */
  readonly steps: { readonly loop: CloseStep; readonly server: CloseStep };
}

/** What a service hands the bootstrap once built from its settings. */
export interface ServiceWiring {
  /**
   * Connected before the consumer, so the first batch has somewhere to go. One that can send
   * also carries the health samples (HEALTH_INTERVAL_MS) to HEALTH_TOPIC.
   */
  readonly producer: { connect(): Promise<void>; sendWithCallback?: RecordSender['sendWithCallback'] };
  /** Carries the health samples instead of `producer` (whose sends must be in a transaction); connected and closed here. */
  readonly healthProducer?: { connect(): Promise<void>; sendWithCallback: RecordSender['sendWithCallback']; close(): Promise<void> } | undefined;
  readonly consumer: BatchConsumer;
  readonly handle: BatchHandler;
  /** Shutdown, in order; every step runs even if an earlier one failed. */
  readonly close: readonly CloseStep[];
  /** Fields of the "started" log line. */
  readonly started: Record<string, unknown>;
}

export interface ServiceDefinition<S extends ServiceSchema> {
  /** Logger and metrics name, e.g. consumer-processor. */
  readonly name: string;
  readonly settings: S;
  /** Builds the service from validated settings; may wait for dependencies (OpenSearch). */
  setup(settings: z.infer<S>, ctx: ServiceContext): ServiceWiring | Promise<ServiceWiring>;
}

export interface Service {
  /** Idempotent: every call returns the same promise. */
  close(): Promise<void>;
}

/** Process side effects, injectable so start-up and signals can be tested without exiting. */
export interface ServiceIo {
  readonly env: NodeJS.ProcessEnv;
  exit(code: number): void;
  onSignal(signal: NodeJS.Signals, handler: () => void): void;
  stderr(text: string): void;
}
