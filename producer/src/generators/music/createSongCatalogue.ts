import { Faker, en, en_US } from '@faker-js/faker';

import { createRandom, type Random } from './createRandom';

/**
 * The songs users listen to, generated from the seed (Eventsim loads ~200k Million Song
 * Dataset tracks with listen counts; we make a smaller, fake but realistic catalogue).
 * Struct-of-arrays for speed: song i is (`artist[i]`, `title[i]`, `duration[i]`).
 * Popularity is Zipf-like: song i (its rank) has weight 1 / (i + 1)^0.9, and popular
 * artists own more songs.
 */
export interface SongCatalogue {
  readonly size: number;
  readonly artist: readonly string[];
  readonly title: readonly string[];
  /** Seconds, as a float with up to 5 decimals (Eventsim's are MSD floats such as 277.89016), 150–400. */
  readonly duration: Float64Array;
  /** Running total of popularity weights, for `random.pickCumulative`. */
  readonly cumulative: Float64Array;
}

export interface SongCatalogueOptions {
  seed: number;
  songs: number;
  artists: number;
}

const SONG_ZIPF_EXPONENT = 0.9;
const ARTIST_ZIPF_EXPONENT = 1.0;
const VERSION_SUFFIXES = [
  ' (Album Version)',
  ' (Live)',
  ' (Remastered)',
  ' (Radio Edit)',
  ' (Acoustic)',
  ' (Explicit Album Version)',
];

function titleCase(words: string): string {
  return words
    .split(' ')
    .map((w) => (w.length > 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

function zipfCumulative(n: number, exponent: number): Float64Array {
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, exponent);
    out[i] = total;
  }
  return out;
}

function makeArtists(faker: Faker, n: number): string[] {
  const names = faker.helpers.shuffle([...faker.definitions.music.artist]);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (out.length >= n) break;
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  // More artists than faker knows: invent band and performer names.
  let attempts = 0;
  while (out.length < n) {
    attempts++;
    const style = faker.number.int({ min: 0, max: 3 });
    let name: string;
    if (style === 0) name = `${faker.person.firstName()} ${faker.person.lastName()}`;
    else if (style === 1) name = `The ${titleCase(faker.word.adjective())} ${titleCase(faker.word.noun())}s`;
    else if (style === 2) name = `${titleCase(faker.word.noun())} ${titleCase(faker.word.noun())}`;
    else name = `${faker.person.firstName()} ${faker.person.lastName()} & The ${titleCase(faker.word.noun())}s`;
    if (!seen.has(name) || attempts > 50 * n) {
      if (seen.has(name)) name = `${name} ${out.length}`;
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

function makeTitle(faker: Faker, random: Random): string {
  const r = random.next();
  let title: string;
  if (r < 0.45) title = faker.music.songName();
  else if (r < 0.85) title = titleCase(faker.word.words({ count: { min: 1, max: 4 } }));
  else title = `${titleCase(faker.word.adjective())} ${titleCase(faker.word.noun())}`;
  if (random.next() < 0.08) title += VERSION_SUFFIXES[random.int(VERSION_SUFFIXES.length)] as string;
  return title;
}

function makeDuration(random: Random): number {
  // Log-normal around 4 minutes, kept to 150–400 s by redrawing.
  for (;;) {
    const d = 240 * Math.exp(0.25 * random.normal());
    if (d >= 150 && d <= 400) return Math.round(d * 1e5) / 1e5;
  }
}

export function createSongCatalogue(options: SongCatalogueOptions): SongCatalogue {
  const songs = Math.max(1, Math.floor(options.songs));
  const artistCount = Math.max(1, Math.floor(options.artists));
  const faker = new Faker({ locale: [en_US, en] });
  faker.seed(Math.trunc(options.seed) ^ 0x5eed50ac);
  const random = createRandom(options.seed * 31 + 17);

  const artists = makeArtists(faker, artistCount);
  const artistCumulative = zipfCumulative(artistCount, ARTIST_ZIPF_EXPONENT);
  const artistOrder = faker.helpers.shuffle(artists.map((_, i) => i));

  const artist: string[] = new Array<string>(songs);
  const title: string[] = new Array<string>(songs);
  const duration = new Float64Array(songs);
  for (let i = 0; i < songs; i++) {
    // Every artist gets at least one song; the rest go to artists by Zipf popularity.
    const a = i < artistCount ? (artistOrder[i] as number) : random.pickCumulative(artistCumulative);
    artist[i] = artists[a] as string;
    title[i] = makeTitle(faker, random);
    duration[i] = makeDuration(random);
  }
  return { size: songs, artist, title, duration, cumulative: zipfCumulative(songs, SONG_ZIPF_EXPONENT) };
}
