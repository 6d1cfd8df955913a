/**
 * Which Eventsim the simulator writes like: `kafka`, the Confluent fork streamify and
 * Beatlytica run (four topics, numeric userId, city/state/zip/lat/lon, `duration`), or
 * `original`, the Eventsim the public datasets were made with (one stream of page events,
 * userId as text, one `location` string, `length`).
 */
export const EventsimDialect = { KAFKA: 'kafka', ORIGINAL: 'original' } as const;
export type EventsimDialect = (typeof EventsimDialect)[keyof typeof EventsimDialect];
