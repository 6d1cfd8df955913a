import { Faker, en } from '@faker-js/faker';
import { ConfigError } from '../../pipeline/errors';
import type { GeneratedRecord } from './chains';
import { COUNTRY_BLOCKS } from './generators/login';

export interface AnomalyOptions {
  readonly chain: string;
  /** Login bursts: a user logging in `burstSize` times in the same second. */
  readonly loginBursts: number;
  readonly burstSize: number;
  /** Impossible travels: two logins of one user, the same second, in two countries far apart. */
  readonly travels: number;
  /** Music: sessions failing to log in `burstSize` times in the same second. */
  readonly failedLogins: number;
  /**
   * Dead-letter spikes (any chain): `spikeSize` records that are not JSON, all with one
   * record timestamp (the wall clock when planned), so they fall in one window of any size.
   */
  readonly deadLetterSpikes?: number;
  readonly spikeSize?: number;
  /** The wall clock for the spikes' record time; tests give a fake one. */
  readonly now?: () => number;
  /** Music: the (namespaced) topic of Eventsim's auth events. */
  readonly authTopic?: string;
  /** Normal records between two injections. */
  readonly every: number;
  readonly seed: number;
}

/** One injected anomaly, as the producer's summary lists it. */
export interface InjectedAnomaly {
  readonly rule: 'login_burst' | 'impossible_travel' | 'failed_login_burst' | 'dead_letter_spike';
  /** The user the alert is keyed by (a spike: the records' Kafka key; its alert is keyed by partition). */
  readonly key: string;
  /** Event time (a spike: the records' Kafka timestamp, the time its rule counts by). */
  readonly event_time: string;
  readonly logins: number;
  /** Spikes: records sent that the processor dead-letters. */
  readonly dead_letters?: number;
  readonly countries?: readonly [string, string];
}

/** Pairs of countries whose blocks are thousands of km apart, so any speed limit is broken. */
const FAR_APART: ReadonlyArray<readonly [string, string]> = [
  ['US', 'IN'],
  ['DE', 'BR'],
  ['GB', 'AU'],
  ['FR', 'JP'],
  ['CA', 'IN'],
];

export interface Injection {
  readonly records: Iterator<GeneratedRecord>;
  /** Anomalies whose every record was acknowledged by the broker: call after the run. */
  readonly injected: () => InjectedAnomaly[];
  /** The runner reports each acknowledged record here. */
  readonly acked: (record: GeneratedRecord) => void;
  /** Injected records reach the processor intact: the malformed mixer leaves them alone. */
  readonly isInjected: (record: GeneratedRecord) => boolean;
}

export function anomaliesRequested(o: AnomalyOptions): boolean {
  return o.loginBursts > 0 || o.travels > 0 || o.failedLogins > 0 || (o.deadLetterSpikes ?? 0) > 0;
}

/** Sessions of injected failed logins: far above the simulator's own session ids. */
const FIRST_INJECTED_SESSION = 900_000_000;

/**
 * Mixes anomalies into a chain's generated records: each from a user of its own (so normal
 * traffic never adds to it and it never adds to normal traffic), at the event time of the
 * record it follows. A listed anomaly had all its records acknowledged, so a test can
 * expect exactly one alert per listed anomaly.
 */
export function injectAnomalies(source: Iterator<GeneratedRecord>, o: AnomalyOptions): Injection {
  if ((o.loginBursts > 0 || o.travels > 0) && o.chain !== 'login') throw new ConfigError('--inject-login-bursts', `login bursts and travels are injected into the login chain only, not ${o.chain}`);
  if (o.failedLogins > 0 && (o.chain !== 'music' || !o.authTopic)) throw new ConfigError('--inject-failed-logins', `failed logins are injected into the music chain (Kafka dialect) only, not ${o.chain}`);
  const f = new Faker({ locale: [en] });
  f.seed(o.seed + 104_729);
  const planned: Array<{ anomaly: InjectedAnomaly; records: number }> = [];
  const acks = new Map<string, number>();
  const ids = new WeakMap<GeneratedRecord, string>();
  let bursts = 0;
  let travels = 0;
  let failed = 0;
  let spikes = 0;
  const spikesWanted = o.deadLetterSpikes ?? 0;
  const pending = () => bursts < o.loginBursts || travels < o.travels || failed < o.failedLogins || spikes < spikesWanted;
  let sinceLast = 0;
  const queue: GeneratedRecord[] = [];

  const ipIn = (country: string) => {
    const c = COUNTRY_BLOCKS.find((b) => b.country === country)!;
    return `${f.helpers.arrayElement(c.blocks)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
  };
  const login = (id: string, user: string, t: number, ip: string, topic: string): GeneratedRecord => {
    const value = { user_id: user, device_id: `${user}-device`, timestamp: Math.floor(t / 1000), app_version: '2.3.0', ip, locale: 'xx-XX', device_type: 'iOS' };
    const r: GeneratedRecord = { topic, key: user, value: Buffer.from(JSON.stringify(value)), eventTimeMs: t };
    ids.set(r, id);
    return r;
  };
  const failedLogins = (after: GeneratedRecord) => {
    // The place and client of a simulated user, a session of its own, logging in and failing.
    const like = JSON.parse(after.value!.toString('utf8')) as Record<string, unknown>;
    const sessionId = FIRST_INJECTED_SESSION + o.seed * 1000 + failed++;
    const t = after.eventTimeMs;
    const value = { ts: t, sessionId, level: like['level'] ?? 'free', itemInSession: 0, city: like['city'], zip: like['zip'], state: like['state'], userAgent: like['userAgent'], lon: like['lon'], lat: like['lat'], success: false };
    for (let i = 0; i < o.burstSize; i++) {
      const r: GeneratedRecord = { topic: o.authTopic!, key: String(sessionId), value: Buffer.from(JSON.stringify({ ...value, itemInSession: i })), eventTimeMs: t };
      ids.set(r, String(sessionId));
      queue.push(r);
    }
    planned.push({ anomaly: { rule: 'failed_login_burst', key: String(sessionId), event_time: new Date(t).toISOString(), logins: o.burstSize }, records: o.burstSize });
  };
  const spike = (after: GeneratedRecord) => {
    const key = `dead-letter-spike-${o.seed}-${spikes++}`;
    const timestampMs = (o.now ?? Date.now)();
    const size = o.spikeSize ?? 50;
    for (let i = 0; i < size; i++) {
      const r: GeneratedRecord = { topic: after.topic, key, value: Buffer.from(`{"not json": ${i}`), eventTimeMs: after.eventTimeMs, timestampMs, malformedKind: 'dead_letter_spike' };
      ids.set(r, key);
      queue.push(r);
    }
    planned.push({ anomaly: { rule: 'dead_letter_spike', key, event_time: new Date(timestampMs).toISOString(), logins: 0, dead_letters: size }, records: size });
  };
  const plan = (after: GeneratedRecord) => {
    // Spikes take turns with the other anomalies, so each kind is spread over the run.
    const others = bursts + travels + failed;
    const othersDone = bursts >= o.loginBursts && travels >= o.travels && failed >= o.failedLogins;
    if (spikes < spikesWanted && (othersDone || spikes <= others)) return spike(after);
    if (failed < o.failedLogins) {
      const v = after.value ? (JSON.parse(after.value.toString('utf8')) as Record<string, unknown>) : undefined;
      if (v && typeof v['city'] === 'string' && typeof v['lat'] === 'number') failedLogins(after);
      return;
    }
    const t = after.eventTimeMs;
    const time = new Date(Math.floor(t / 1000) * 1000).toISOString();
    const doBurst = bursts < o.loginBursts && (travels >= o.travels || bursts <= travels);
    if (doBurst) {
      const user = `anomaly-burst-${o.seed}-${bursts++}`;
      const ip = ipIn('US');
      for (let i = 0; i < o.burstSize; i++) queue.push(login(user, user, t, ip, after.topic));
      planned.push({ anomaly: { rule: 'login_burst', key: user, event_time: time, logins: o.burstSize }, records: o.burstSize });
    } else {
      const user = `anomaly-travel-${o.seed}-${travels}`;
      const pair = FAR_APART[travels++ % FAR_APART.length]!;
      queue.push(login(user, user, t, ipIn(pair[0]), after.topic), login(user, user, t, ipIn(pair[1]), after.topic));
      planned.push({ anomaly: { rule: 'impossible_travel', key: user, event_time: time, logins: 2, countries: pair }, records: 2 });
    }
  };

  const records: Iterator<GeneratedRecord> = {
    next: () => {
      const queued = queue.shift();
      if (queued) return { done: false, value: queued };
      const r = source.next();
      if (r.done) return r;
      if (++sinceLast >= o.every && pending() && r.value.value) {
        sinceLast = 0;
        plan(r.value);
      }
      return r;
    },
  };
  return {
    records,
    acked: (r) => {
      // Spike records reach the runner as malformed: it reports those here too.
      const id = ids.get(r);
      if (id !== undefined) acks.set(id, (acks.get(id) ?? 0) + 1);
    },
    isInjected: (r) => ids.has(r),
    injected: () => planned.filter((p) => acks.get(p.anomaly.key) === p.records).map((p) => p.anomaly),
  };
}

