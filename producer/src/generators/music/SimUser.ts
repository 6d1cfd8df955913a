import type { EventsimPage } from './eventsimPages';
import type { MusicState } from './musicStateGraph';

export class SimUser {
  state!: MusicState;
  ts = 0;
  sessionId = 0;
  item = 0;
  /** Catalogue index of the song last started in this session, -1 if none. */
  song = -1;
  songEnd = 0;
  prevPage: EventsimPage | null = null;

  constructor(
    readonly id: number,
    readonly alphaS: number,
    readonly betaS: number,
    readonly zip: string,
    readonly city: string,
    readonly usState: string,
    readonly lat: number,
    readonly lon: number,
    readonly userAgent: string,
    readonly firstName: string,
    readonly lastName: string,
    readonly gender: 'M' | 'F',
    public registration: number,
  ) {}
}
