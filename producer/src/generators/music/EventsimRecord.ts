import type { EventsimTopicName } from './EventsimTopic';

/** One record as Eventsim would write it: the topic, its event time, and the JSON value. */
export interface EventsimRecord {
  topic: EventsimTopicName;
  /** Same as `value.ts`: epoch milliseconds of simulated time. */
  ts: number;
  value: Record<string, unknown>;
}
