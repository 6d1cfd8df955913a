import { fieldAt } from './fieldPath';
import { haversineKm } from './haversine';
import { RuleKind, RuleSource, type AlertDocument, type Rule, type TravelPoint, type WindowInput } from './types';

/** Evidence kept per key and window; counts stay exact beyond it. */
export const MAX_EVIDENCE_IDS = 20;
/** Points kept per key and window for travel rules: bounds a user's state. */
export const MAX_TRAVEL_POINTS = 200;

interface KeyState {
  count: number;
  /** Share rules: every record of the window, matching or not. */
  total: number;
  ids: string[];
  points: Array<TravelPoint & { t: number; offset: number }>;
}

/** The state of one rule in one window: per key, a count and the evidence. */
export class RuleState {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly rule: Rule,
    private readonly chain: string,
    /** Share rules' one key: the partition pair, since each pair alerts on its own. */
    private readonly sharedKey: string,
  ) {}

  add(input: WindowInput): void {
    const { rule } = this;
    if (rule.kind === RuleKind.SHARE) return this.addShared(input);
    if (!matches(rule, input.doc)) return;
    const key = rule.source === RuleSource.DEAD_LETTERS ? this.chain : keyOf(input.doc, rule.keyField);
    if (key === undefined) return;
    let s = this.keys.get(key);
    if (!s) {
      s = { count: 0, total: 0, ids: [], points: [] };
      this.keys.set(key, s);
    }
    s.count++;
    if (rule.kind === RuleKind.COUNT) {
      if (s.ids.length < MAX_EVIDENCE_IDS) s.ids.push(input.eventId);
      return;
    }
    const p = point(fieldAt(input.doc, rule.pointField ?? ''));
    if (!p || s.points.length >= MAX_TRAVEL_POINTS) return;
    const place = rule.placeField ? fieldAt(input.doc, rule.placeField) : undefined;
    s.points.push({
      event_id: input.eventId,
      time: new Date(input.eventTimeMs).toISOString(),
      location: { lat: p.lat, lon: p.lon },
      ...(typeof place === 'string' ? { place } : {}),
      t: input.eventTimeMs,
      offset: input.offset,
    });
  }

  /** One key, the partition pair: dead letters are counted, and every record in the total. */
  private addShared(input: WindowInput): void {
    let s = this.keys.get(this.sharedKey);
    if (!s) {
      s = { count: 0, total: 0, ids: [], points: [] };
      this.keys.set(this.sharedKey, s);
    }
    s.total++;
    if (!input.deadLetter) return;
    s.count++;
    if (s.ids.length < MAX_EVIDENCE_IDS) s.ids.push(input.eventId);
  }

  /** Alerts of this window, in key order (deterministic). */
  alerts(make: (key: string, evidence: AlertDocument['evidence']) => AlertDocument): AlertDocument[] {
    const out: AlertDocument[] = [];
    for (const key of [...this.keys.keys()].sort()) {
      const s = this.keys.get(key)!;
      if (this.rule.kind === RuleKind.COUNT) {
        if (s.count > this.rule.threshold) out.push(make(key, { count: s.count, event_ids: s.ids }));
      } else if (this.rule.kind === RuleKind.SHARE) {
        const percent = (s.count * 100) / s.total;
        if (s.count >= this.rule.minCount && percent > this.rule.threshold) out.push(make(key, { count: s.count, event_ids: s.ids, total: s.total, share_percent: round(percent, 2) }));
      } else {
        const pair = fastestPair(s.points, this.rule);
        if (pair) out.push(make(key, pair));
      }
    }
    return out;
  }
}

/**
 * The fastest move between consecutive points (event-time order) above the rule's speed and
 * minimum distance. Times are whole seconds at best, so a gap under one second is taken as
 * one second: two far-apart logins in the same second are still impossible, but finitely so.
 */
function fastestPair(points: KeyState['points'], rule: Rule): AlertDocument['evidence'] | undefined {
  const sorted = [...points].sort((a, b) => a.t - b.t || a.offset - b.offset);
  let best: AlertDocument['evidence'] | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (rule.placesMustDiffer && a.place === b.place) continue;
    const km = haversineKm(a.location, b.location);
    if (km < rule.minDistanceKm) continue;
    const hours = Math.max(b.t - a.t, 1000) / 3_600_000;
    const speed = km / hours;
    if (speed > rule.threshold && (!best || speed > best.speed_kmh!)) {
      best = {
        count: sorted.length,
        event_ids: [a.event_id, b.event_id],
        distance_km: round(km, 1),
        speed_kmh: round(speed, 1),
        from: strip(a),
        to: strip(b),
      };
    }
  }
  return best;
}

function strip(p: KeyState['points'][number]): TravelPoint {
  const { t: _t, offset: _o, ...rest } = p;
  return rest;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function matches(rule: Rule, doc: unknown): boolean {
  return (rule.where ?? []).every((c) => fieldAt(doc, c.field) === c.equals);
}

function keyOf(doc: unknown, field: string | undefined): string | undefined {
  if (!field) return undefined;
  const v = fieldAt(doc, field);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function point(v: unknown): { lat: number; lon: number } | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const { lat, lon } = v as { lat?: unknown; lon?: unknown };
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined;
}
