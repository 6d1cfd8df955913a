/** The four Kafka topics Eventsim (Confluent fork) writes to, keyless JSON values. */
export const EventsimTopic = {
  listen: 'listen_events',
  pageView: 'page_view_events',
  auth: 'auth_events',
  statusChange: 'status_change_events',
} as const;

export type EventsimTopicName = (typeof EventsimTopic)[keyof typeof EventsimTopic];
