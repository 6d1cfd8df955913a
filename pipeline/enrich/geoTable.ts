import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * geoip-lite's GeoLite city data, read from its files into a compact table instead of
 * through its module, which holds the files whole (109 MiB). Each range record there is
 * start, end, location id, latitude, longitude and area (24 bytes; 48 for IPv6). Here
 * adjacent ranges with the same location and coordinates are one entry, the end of an
 * entry is the start of the next (gaps become entries without a location), and the
 * (location, latitude, longitude) triples are stored once: 8 bytes per entry. IPv6 keeps
 * every record (20 bytes: the first 64 bits of start and end, and the triple) and
 * geoip-lite's own search, because its ranges overlap at 64 bits, where geoip-lite compares
 * them, and which one answers depends on the path of that search. The files are read in
 * chunks, so neither is ever whole in memory.
 */

/** The names of a location (empty where the data has none). */
export interface PlaceNames {
  readonly country: string;
  readonly region: string;
  readonly city: string;
  readonly timezone: string;
}

/** What find4 and find6 answer for an address without a location. */
export const NO_PLACE = -1;

const NO_LOCATION = 0xffffffff;
/** Entry value of a gap between ranges. */
const NO_TRIPLE = 0xffffffff;
/** geoip-city-names.dat: country 2, region 3, metro 4, eu 1, timezone 32, city 46 bytes. */
const NAME_RECORD_BYTES = 88;
const RECORDS_PER_READ = 65_536;

/** IPv4 ranges merged into entries: each runs from its start to the next entry's. */
interface Ranges4 {
  readonly start: Uint32Array;
  /** Index into the triples per entry, or NO_TRIPLE. */
  readonly triple: Uint32Array;
  readonly last: number;
}

/** IPv6 records as geoip-lite has them, by the (hi, lo) 32-bit words of their first 64 bits. */
interface Records6 {
  readonly floorHi: Uint32Array;
  readonly floorLo: Uint32Array;
  readonly ceilHi: Uint32Array;
  readonly ceilLo: Uint32Array;
  readonly triple: Uint32Array;
}

/**
 * The distinct (location, latitude, longitude) triples. Most locations have one; the others
 * are chained (first per location, next per triple), so finding one allocates nothing.
 */
interface Triples {
  readonly location: number[];
  readonly lat: number[];
  readonly lon: number[];
  readonly next: number[];
  readonly first: Int32Array;
}

/**
 * A lookup answers a place (an index) and allocates nothing; its names are decoded once per
 * location and shared, so the caller builds the one object it keeps.
 */
export class GeoTable {
  private readonly decoded: (PlaceNames | undefined)[] = [];

  constructor(
    private readonly v4: Ranges4,
    private readonly v6: Records6,
    private readonly location: Uint32Array,
    private readonly latE4: Int32Array,
    private readonly lonE4: Int32Array,
    private readonly nameRecords: Buffer,
  ) {}

  /** The place of an IPv4 address as a 32-bit unsigned number, or NO_PLACE. */
  find4(ip: number): number {
    return findEntry4(this.v4, ip);
  }

  /** The place of an IPv6 address by its first 64 bits (as geoip-lite compares them), or NO_PLACE. */
  find6(hi: number, lo: number): number {
    return findRecord6(this.v6, hi, lo);
  }

  names(place: number): PlaceNames {
    const loc = this.location[place]!;
    return (this.decoded[loc] ??= decodeNames(this.nameRecords, loc));
  }

  /** Degrees. */
  lat(place: number): number {
    return this.latE4[place]! / 10_000;
  }

  lon(place: number): number {
    return this.lonE4[place]! / 10_000;
  }

  /** Bytes held by the table's arrays and the names buffer. */
  get bytes(): number {
    const v6 = this.v6;
    const arrays = [this.v4.start, this.v4.triple, v6.floorHi, v6.floorLo, v6.ceilHi, v6.ceilLo, v6.triple, this.location, this.latE4, this.lonE4];
    return arrays.reduce((n, a) => n + a.byteLength, this.nameRecords.byteLength);
  }
}

/** The triple index of the entry holding ip, or NO_PLACE. */
function findEntry4(r: Ranges4, ip: number): number {
  const n = r.start.length;
  if (n === 0 || ip < r.start[0]! || ip > r.last) return NO_PLACE;
  let a = 0;
  let b = n - 1;
  while (a < b) {
    const m = (a + b + 1) >>> 1;
    if (r.start[m]! <= ip) a = m;
    else b = m - 1;
  }
  const t = r.triple[a]!;
  return t === NO_TRIPLE ? NO_PLACE : t;
}

/** -1, 0 or 1 as (aHi, aLo) is below, equal to or above (bHi, bLo). */
function cmp64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1;
  return aLo === bLo ? 0 : aLo < bLo ? -1 : 1;
}

/** geoip-lite's IPv6 search, step for step: the record it answers from, as a triple index, or NO_PLACE. */
function findRecord6(r: Records6, hi: number, lo: number): number {
  const last = r.floorHi.length - 1;
  if (last < 0 || cmp64(hi, lo, r.ceilHi[last]!, r.ceilLo[last]!) > 0 || cmp64(hi, lo, r.floorHi[0]!, r.floorLo[0]!) < 0) return NO_PLACE;
  let fline = 0;
  let cline = last;
  for (;;) {
    const line = (fline + cline) >>> 1;
    const belowFloor = cmp64(r.floorHi[line]!, r.floorLo[line]!, hi, lo) > 0;
    const aboveCeil = cmp64(r.ceilHi[line]!, r.ceilLo[line]!, hi, lo) < 0;
    if (!belowFloor && !aboveCeil) {
      const t = r.triple[line]!;
      return t === NO_TRIPLE ? NO_PLACE : t;
    }
    if (fline === cline) return NO_PLACE;
    if (fline === cline - 1) {
      if (line === fline) fline = cline;
      else cline = fline;
    } else if (belowFloor) cline = line;
    else fline = line;
  }
}

function decodeNames(names: Buffer, loc: number): PlaceNames {
  const o = loc * NAME_RECORD_BYTES;
  return { country: text(names, o, o + 2), region: text(names, o + 2, o + 5), timezone: text(names, o + 10, o + 42), city: text(names, o + 42, o + NAME_RECORD_BYTES) };
}

function text(buf: Buffer, start: number, end: number): string {
  const nul = buf.indexOf(0, start);
  return buf.toString('utf8', start, nul >= start && nul < end ? nul : end);
}

/** Calls visit for each record of a range file, read in fixed-size chunks. */
function scanRecords(file: string, recordBytes: number, visit: (b: Buffer, o: number) => void): void {
  const chunk = Buffer.allocUnsafe(recordBytes * RECORDS_PER_READ);
  const fd = openSync(file, 'r');
  try {
    for (let position = 0; ; ) {
      const got = readSync(fd, chunk, 0, chunk.length, position);
      if (got === 0) return;
      if (got % recordBytes !== 0) throw new Error(`${file}: ${position + got} bytes is not a whole number of ${recordBytes}-byte records`);
      for (let o = 0; o < got; o += recordBytes) visit(chunk, o);
      position += got;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * geoip-city.dat in two passes: the first counts the entries, so the second fills arrays of
 * exactly that size. A record starts a new entry when it does not follow the previous one
 * (then a gap entry comes first) or has another triple.
 */
function readRanges4(file: string, triples: Triples): Ranges4 {
  let next = -1;
  let last = 0;
  let prevLoc = -1;
  let prevLat = 0;
  let prevLon = 0;
  const walk = (b: Buffer, o: number, emit: (start: number, triple: number) => void) => {
    const start = b.readUInt32BE(o);
    const loc = b.readUInt32BE(o + 8);
    const lat = b.readInt32BE(o + 12);
    const lon = b.readInt32BE(o + 16);
    const follows = start === next;
    if (!follows && next !== -1) emit(next, NO_TRIPLE);
    if (!follows || loc !== prevLoc || lat !== prevLat || lon !== prevLon) {
      emit(start, loc === NO_LOCATION ? NO_TRIPLE : tripleOf(triples, loc, lat, lon));
      prevLoc = loc;
      prevLat = lat;
      prevLon = lon;
    }
    last = b.readUInt32BE(o + 4);
    next = last + 1;
  };
  let count = 0;
  scanRecords(file, 24, (b, o) => walk(b, o, () => count++));
  const start = new Uint32Array(count);
  const triple = new Uint32Array(count);
  let i = 0;
  next = prevLoc = -1;
  scanRecords(file, 24, (b, o) =>
    walk(b, o, (s, t) => {
      start[i] = s;
      triple[i] = t;
      i++;
    }),
  );
  return { start, triple, last };
}

/** geoip-city6.dat: every record, by the first 64 bits of its start and end. */
function readRecords6(file: string, triples: Triples): Records6 {
  const n = statSync(file).size / 48;
  const r: Records6 = { floorHi: new Uint32Array(n), floorLo: new Uint32Array(n), ceilHi: new Uint32Array(n), ceilLo: new Uint32Array(n), triple: new Uint32Array(n) };
  let i = 0;
  scanRecords(file, 48, (b, o) => {
    r.floorHi[i] = b.readUInt32BE(o);
    r.floorLo[i] = b.readUInt32BE(o + 4);
    r.ceilHi[i] = b.readUInt32BE(o + 16);
    r.ceilLo[i] = b.readUInt32BE(o + 20);
    const loc = b.readUInt32BE(o + 32);
    r.triple[i] = loc === NO_LOCATION ? NO_TRIPLE : tripleOf(triples, loc, b.readInt32BE(o + 36), b.readInt32BE(o + 40));
    i++;
  });
  return r;
}

function tripleOf(t: Triples, loc: number, lat: number, lon: number): number {
  if (loc >= t.first.length) throw new Error(`geoip-lite data: location ${loc} is not in geoip-city-names.dat (${t.first.length} locations)`);
  for (let i = t.first[loc]!; i !== -1; i = t.next[i]!) if (t.lat[i] === lat && t.lon[i] === lon) return i;
  const i = t.location.length;
  t.location.push(loc);
  t.lat.push(lat);
  t.lon.push(lon);
  t.next.push(t.first[loc]!);
  t.first[loc] = i;
  return i;
}

/** geoip-lite's data folder, as it finds it itself (GEODATADIR overrides the package's own). */
export function geoDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GEODATADIR ?? join(dirname(require.resolve('geoip-lite/package.json')), 'data');
}

export function loadGeoTable(dir: string = geoDataDir()): GeoTable {
  const names = readFileSync(join(dir, 'geoip-city-names.dat'));
  const triples: Triples = { location: [], lat: [], lon: [], next: [], first: new Int32Array(names.length / NAME_RECORD_BYTES).fill(-1) };
  const v4 = readRanges4(join(dir, 'geoip-city.dat'), triples);
  const v6 = readRecords6(join(dir, 'geoip-city6.dat'), triples);
  return new GeoTable(v4, v6, Uint32Array.from(triples.location), Int32Array.from(triples.lat), Int32Array.from(triples.lon), names);
}
