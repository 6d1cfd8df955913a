import type { EventsimDialect } from './EventsimDialect';

export interface MusicSimulatorOptions {
  /** Everything (catalogue, users, names, events) is a pure function of the seed and the options. */
  seed: number;
  /** Epoch ms of the simulated clock's start; no event is earlier. */
  startTimeMs: number;
  /** Users present at the start. Default 100. */
  initialUsers?: number;
  /** Mean new users per simulated day (a Poisson process, thinned by the daily/weekly cycle). Default 5% of `initialUsers`. */
  growthPerDay?: number;
  /** Songs in the generated catalogue. Default 5000. */
  catalogueSize?: number;
  /** Artists in the generated catalogue. Default 800. */
  artists?: number;
  /** Which Eventsim to write like. Default `kafka`, the fork the pipeline's topics come from. */
  dialect?: EventsimDialect;
}
