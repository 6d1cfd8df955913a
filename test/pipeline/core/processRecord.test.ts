import { loginIndexing } from '../../../pipeline/chains/login/indexing';
import { loginProcessing } from '../../../pipeline/chains/login/processing';
import type { ProcessingContext, ProcessingFacet } from '../../../pipeline/chains/types';
import { IpMode } from '../../../pipeline/enrich';
import { loginGeneration, type GeneratedRecord } from '../../../producer/src/chains';
import { DeadLetterCode, processRecord, type FilterRule, type Outcome, type SourceRecord } from '../../../pipeline/core';
import { MalformedKind, corrupt, malformedKinds } from '../../../producer/src/malformed';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const NOW_S = NOW / 1000;
const DAY_MS = 24 * 3600_000;
const ctx: ProcessingContext = {
  nowMs: NOW,
  ipMode: IpMode.MASK,
  ipHashSecret: undefined,
  currentAppVersion: '2.3.0',
  maxEventAgeMs: 3650 * DAY_MS,
  maxFutureSkewMs: 3600_000,
};
const options = { maxRecordBytes: 64 * 1024, filters: [] as FilterRule[] };
const TOPIC = 'user-login';

const validEvent = {
  user_id: 'u-1',
  app_version: '2.2.0',
  ip: '8.8.8.8',
  locale: 'RI',
  device_id: 'd-1',
  device_type: 'android',
  timestamp: NOW_S - 60,
};

function recordOf(value: Buffer | null | object, over: Partial<SourceRecord> = {}): SourceRecord {
  const bytes = value === null || Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
  return { topic: TOPIC, partition: 3, offset: 1234, key: Buffer.from('u-1'), value: bytes, headers: [], timestamp: NOW - 1000, ...over };
}

function run(record: SourceRecord, chain: ProcessingFacet = loginProcessing, opts = options, c = ctx): Outcome {
  return processRecord(chain, record, c, opts);
}

function expectOk(o: Outcome): Extract<Outcome, { kind: 'ok' }> {
  if (o.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(o)}`);
  return o;
}

function expectDead(o: Outcome): Extract<Outcome, { kind: 'dead' }>['reason'] {
  if (o.kind !== 'dead') throw new Error(`expected dead, got ${JSON.stringify(o)}`);
  return o.reason;
}

describe('processRecord with the login chain', () => {
  describe('valid records', () => {
    it('accepts a valid record with the id <topic>-<partition>-<offset> and the user id as key', () => {
      const o = expectOk(run(recordOf(validEvent)));
      expect(o.id).toBe('user-login-3-1234');
      expect(o.key).toBe('u-1');
      expect(o.document).toMatchObject({
        event_id: 'user-login-3-1234',
        user_id: 'u-1',
        device_type: 'android',
        timestamp: NOW_S - 60,
        event_time: new Date((NOW_S - 60) * 1000).toISOString(),
        ingested_at: new Date(NOW).toISOString(),
        source: { topic: TOPIC, partition: 3, offset: 1234, timestamp: NOW - 1000 },
        app: { major: 2, minor: 2, patch: 0, outdated: true },
        weekday: 6,
        is_weekend: true,
      });
      expect((o.document as { quality: unknown }).quality).toEqual({ dialect: 'takehome' });
    });

    it('masks the address but locates it by the real one', () => {
      const doc = expectOk(run(recordOf(validEvent))).document as { ip: string; ip_class: string; geo?: { country: string } };
      expect(doc.ip).toBe('8.8.8.xxx');
      expect(doc.ip_class).toBe('public');
      expect(doc.geo?.country).toBe('US');
    });

    it('hashes the address in hash mode', () => {
      const doc = expectOk(run(recordOf(validEvent), loginProcessing, options, { ...ctx, ipMode: IpMode.HASH, ipHashSecret: 's'.repeat(16) })).document as { ip: string };
      expect(doc.ip).toMatch(/^[0-9a-f]{32}$/);
    });

    it("fills a missing device_type with 'unknown'", () => {
      const { device_type: _dropped, ...noDeviceType } = validEvent;
      const doc = expectOk(run(recordOf(noDeviceType))).document as { device_type: string };
      expect(doc.device_type).toBe('unknown');
    });

    it('accepts the timestamp as a numeric string and stores it as a number', () => {
      const o = expectOk(run(recordOf({ ...validEvent, timestamp: String(NOW_S - 60) })));
      expect((o.document as { timestamp: unknown }).timestamp).toBe(NOW_S - 60);
    });

    it('ignores unknown extra keys instead of indexing them', () => {
      const doc = expectOk(run(recordOf({ ...validEvent, surprise: 1 }))).document;
      expect(doc).not.toHaveProperty('surprise');
    });

    it('parses a user agent when there is one', () => {
      const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
      const doc = expectOk(run(recordOf({ ...validEvent, user_agent: ua }))).document as { user_agent?: { os?: string } };
      expect(doc.user_agent?.os).toBe('iOS');
    });

    it('accepts every record the login generator produces, with fields the strict index template maps', () => {
      const gen = loginGeneration.generator({ seed: 3, startTimeMs: NOW - 60_000 });
      const mapping = (loginIndexing.index.template as { template: { mappings: { properties: Record<string, unknown> } } }).template.mappings;
      for (let i = 0; i < 500; i++) {
        const r = gen.next().value as GeneratedRecord;
        const o = expectOk(run(recordOf(r.value, { offset: i })));
        expect(o.key).toBe(r.key);
        for (const path of leafPaths(o.document)) expect({ path, mapped: isMapped(mapping, path) }).toEqual({ path, mapped: true });
      }
    });

    it('accepts event times right at the edges of the window and rejects them one second beyond', () => {
      const atFuture = NOW_S + 3600;
      const atPast = NOW_S - 3650 * 24 * 3600;
      expect(run(recordOf({ ...validEvent, timestamp: atFuture })).kind).toBe('ok');
      expect(run(recordOf({ ...validEvent, timestamp: atPast })).kind).toBe('ok');
      expect(expectDead(run(recordOf({ ...validEvent, timestamp: atFuture + 1 }))).code).toBe(DeadLetterCode.TIMESTAMP_OUT_OF_RANGE);
      expect(expectDead(run(recordOf({ ...validEvent, timestamp: atPast - 1 }))).code).toBe(DeadLetterCode.TIMESTAMP_OUT_OF_RANGE);
    });
  });

  describe('malformed records from the producer', () => {
    const spec = loginGeneration.malformed;
    const base = loginGeneration.generator({ seed: 11, startTimeMs: NOW - 60_000 }).next().value as GeneratedRecord;
    const broken = (kind: string, pick = 0) => recordOf(corrupt(base, kind, spec, () => pick, NOW).value);

    // One row per kind, so a new kind in malformed.ts fails the coverage test below until listed.
    const expected: Record<string, { code: string; path?: string }> = {
      [MalformedKind.TOMBSTONE]: { code: DeadLetterCode.TOMBSTONE },
      [MalformedKind.EMPTY]: { code: DeadLetterCode.EMPTY_VALUE },
      [MalformedKind.OVERSIZED]: { code: DeadLetterCode.TOO_LARGE },
      [MalformedKind.INVALID_UTF8]: { code: DeadLetterCode.INVALID_UTF8 },
      [MalformedKind.NOT_JSON]: { code: DeadLetterCode.NOT_JSON },
      [MalformedKind.NOT_OBJECT]: { code: DeadLetterCode.NOT_OBJECT },
      [MalformedKind.WRONG_TYPE]: { code: DeadLetterCode.SCHEMA, path: spec.requiredFields[0]! },
      [MalformedKind.MISSING_FIELD]: { code: DeadLetterCode.SCHEMA, path: spec.requiredFields[0]! },
      [MalformedKind.FUTURE_TIMESTAMP]: { code: DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, path: 'timestamp' },
      [MalformedKind.ANCIENT_TIMESTAMP]: { code: DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, path: 'timestamp' },
      fractional_timestamp: { code: DeadLetterCode.SCHEMA, path: 'timestamp' },
    };

    it('has an expectation for every malformed kind the producer knows for logins', () => {
      expect(Object.keys(expected).sort()).toEqual(malformedKinds(spec).sort());
    });

    it('starts from a record that is valid before corruption', () => {
      expect(run(recordOf(base.value)).kind).toBe('ok');
    });

    it.each(malformedKinds(loginGeneration.malformed))('dead-letters %s with the right code and field', (kind) => {
      const reason = expectDead(run(broken(kind)));
      const want = expected[kind]!;
      expect({ code: reason.code, path: reason.path }).toEqual({ code: want.code, path: want.path });
      expect(reason.message.length).toBeGreaterThan(0);
    });

    it.each(loginGeneration.malformed.requiredFields.map((f, i) => [f, i] as const))(
      'names %s as the field when it has the wrong type or is missing',
      (field, i) => {
        for (const kind of [MalformedKind.WRONG_TYPE, MalformedKind.MISSING_FIELD]) {
          const reason = expectDead(run(broken(kind, i)));
          expect({ kind, code: reason.code, path: reason.path }).toEqual({ kind, code: DeadLetterCode.SCHEMA, path: field });
        }
      },
    );

    it.each([0, 1, 2, 3])('dead-letters every non-object JSON shape as not_object (variant %i)', (pick) => {
      expect(expectDead(run(broken(MalformedKind.NOT_OBJECT, pick))).code).toBe(DeadLetterCode.NOT_OBJECT);
    });

    it('rejects an oversized record by size before parsing it', () => {
      const reason = expectDead(run(recordOf(Buffer.from('x'.repeat(64 * 1024 + 1)))));
      expect(reason.code).toBe(DeadLetterCode.TOO_LARGE);
    });

    it('dead-letters a record from a topic that is not an input of the chain as unknown_topic', () => {
      expect(expectDead(run(recordOf(validEvent, { topic: 'somewhere-else' }))).code).toBe(DeadLetterCode.UNKNOWN_TOPIC);
    });

    it('names the field of a schema violation in the message too', () => {
      const reason = expectDead(run(recordOf({ ...validEvent, device_id: '' })));
      expect(reason).toMatchObject({ code: DeadLetterCode.SCHEMA, path: 'device_id' });
      expect(reason.message).toBe('device_id: must not be empty');
    });
  });

  describe('an enricher that throws', () => {
    it('turns the exception into an enrich_failed dead letter instead of throwing', () => {
      const broken: ProcessingFacet = {
        ...loginProcessing,
        enrich: () => {
          throw new Error('lookup table missing');
        },
      };
      let outcome: Outcome | undefined;
      expect(() => (outcome = run(recordOf(validEvent), broken))).not.toThrow();
      const reason = expectDead(outcome!);
      expect(reason.code).toBe(DeadLetterCode.ENRICH_FAILED);
      expect(reason.message).toContain('lookup table missing');
    });
  });

  describe('filter rules', () => {
    const withFilters = (filters: FilterRule[]) => ({ ...options, filters });

    it('drops a record a drop rule matches, naming the rule', () => {
      const { device_type: _d, ...noDeviceType } = validEvent;
      const o = run(recordOf(noDeviceType), loginProcessing, withFilters([{ name: 'no-unknown-devices', chain: 'login', field: 'device_type', in: ['unknown'], action: 'drop' }]));
      expect(o).toEqual({ kind: 'filtered', rule: 'no-unknown-devices', topic: null });
    });

    it('routes a record a route rule matches to the rule topic, on enriched fields', () => {
      const o = run(recordOf(validEvent), loginProcessing, withFilters([{ field: 'geo.country', equals: 'US', action: 'route', topic: 'review-queue' }]));
      expect(o).toEqual({ kind: 'filtered', rule: 'rule[0]', topic: 'review-queue' });
    });

    it('lets a record through when no rule matches', () => {
      const o = run(recordOf(validEvent), loginProcessing, withFilters([{ field: 'device_type', equals: 'iOS', action: 'drop' }]));
      expect(o.kind).toBe('ok');
    });

    it('skips rules meant for another chain', () => {
      const o = run(recordOf(validEvent), loginProcessing, withFilters([{ chain: 'music', field: 'device_type', equals: 'android', action: 'drop' }]));
      expect(o.kind).toBe('ok');
    });

    it('applies the first matching rule', () => {
      const o = run(
        recordOf(validEvent),
        loginProcessing,
        withFilters([
          { field: 'missing.field', exists: true, action: 'drop' },
          { name: 'second', field: 'user_agent', exists: false, action: 'route', topic: 'no-ua' },
          { name: 'third', field: 'device_type', equals: 'android', action: 'drop' },
        ]),
      );
      expect(o).toEqual({ kind: 'filtered', rule: 'second', topic: 'no-ua' });
    });

    it('does not filter a record that is dead anyway', () => {
      const o = run(recordOf(Buffer.from('nope')), loginProcessing, withFilters([{ field: 'user_id', exists: false, action: 'drop' }]));
      expect(o.kind).toBe('dead');
    });
  });
});

function leafPaths(doc: object, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    const path = prefix ? `${prefix}.${k}` : k;
    // geo_point is an object in JSON but a leaf in the mapping.
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && k !== 'location') out.push(...leafPaths(v as object, path));
    else out.push(path);
  }
  return out;
}

function isMapped(mapping: { properties: Record<string, unknown> }, path: string): boolean {
  let cur: { properties?: Record<string, unknown> } | undefined = mapping;
  for (const part of path.split('.')) {
    cur = cur?.properties?.[part] as { properties?: Record<string, unknown> } | undefined;
    if (!cur) return false;
  }
  return true;
}
