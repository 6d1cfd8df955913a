import { z } from 'zod';
import { loginProcessing } from '../../../pipeline/chains/login/processing';
import type { ProcessingContext } from '../../../pipeline/chains/types';
import { DeadLetterCode, processRecord, processRecordAll, type ChainProcessing, type EventWindow, type SourceRecord } from '../../../pipeline/core';
import { IpMode } from '../../../pipeline/enrich';

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);
const window: EventWindow = { nowMs: NOW, maxEventAgeMs: 86_400_000, maxFutureSkewMs: 3600_000 };
const options = { maxRecordBytes: 64 * 1024, filters: [] };

/** A chain whose records are `{ items: [...] }` or one item `{ n, t }`. */
const batchChain: ChainProcessing<{ n: number; t: number }, { n: number }> = {
  name: 'batch',
  schemaFor: (topic) => (topic === 'in' ? z.object({ n: z.number().int(), t: z.number() }) : undefined),
  eventTime: (raw) => ({ ms: raw.t, path: 't' }),
  outputKey: (raw) => String(raw.n),
  split: (v) => ('items' in v ? { path: 'items', items: Array.isArray(v.items) ? v.items : [] } : undefined),
  enrich: (raw, meta) => ({ n: raw.n, id: meta.eventId }),
};
const record = (value: unknown, topic = 'in'): SourceRecord => ({ topic, partition: 4, offset: 10, key: null, value: Buffer.from(JSON.stringify(value)), headers: [], timestamp: NOW });

describe('processRecordAll', () => {
  it('gives exactly processRecord\'s outcome for a chain without split', () => {
    const ctx: ProcessingContext = { ...window, maxEventAgeMs: 3650 * 86_400_000, ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0' };
    const login = { ...record({ user_id: 'u', device_id: 'd', timestamp: NOW / 1000 - 5 }), topic: 'user-login' };
    expect(processRecordAll(loginProcessing, login, ctx, options)).toEqual([processRecord(loginProcessing, login, ctx, options)]);
    const broken = { ...login, value: Buffer.from('nope') };
    expect(processRecordAll(loginProcessing, broken, ctx, options)).toEqual([processRecord(loginProcessing, broken, ctx, options)]);
  });

  it('processes a record without items as one event, with the coordinates as id', () => {
    expect(processRecordAll(batchChain, record({ n: 1, t: NOW }), window, options)).toEqual([{ kind: 'ok', id: 'in-4-10', key: '1', document: { n: 1, id: 'in-4-10' } }]);
  });

  it('gives each item its own outcome, identified by the coordinates and its place', () => {
    const out = processRecordAll(batchChain, record({ items: [{ n: 1, t: NOW }, { n: 2, t: NOW }] }), window, options);
    expect(out).toEqual([
      { kind: 'ok', id: 'in-4-10-0', key: '1', document: { n: 1, id: 'in-4-10-0' } },
      { kind: 'ok', id: 'in-4-10-1', key: '2', document: { n: 2, id: 'in-4-10-1' } },
    ]);
  });

  it('names the item in a failure of its own, and a time out of the window with the item path', () => {
    const out = processRecordAll(batchChain, record({ items: [{ n: 1, t: NOW }, { n: 'x', t: NOW }, { n: 3, t: NOW + 10 * 3600_000 }] }), window, options);
    expect(out.map((o) => o.kind)).toEqual(['ok', 'dead']);
    expect(out[1]).toEqual({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path: 'items.1.n', message: expect.stringMatching(/^items\.1\.n: .*\(2 of 3 items invalid; the other 1 were processed\)$/) } });
    const late = processRecordAll(batchChain, record({ items: [{ n: 3, t: NOW + 10 * 3600_000 }] }), window, options);
    expect(late).toEqual([{ kind: 'dead', reason: { code: DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, path: 'items.0.t', message: expect.stringMatching(/^items\.0: event time .* is outside the accepted window$/) } }]);
  });

  it('applies filter rules per item', () => {
    const out = processRecordAll(batchChain, record({ items: [{ n: 1, t: NOW }, { n: 2, t: NOW }] }), window, { ...options, filters: [{ field: 'n', equals: 2, action: 'drop' }] });
    expect(out.map((o) => o.kind)).toEqual(['ok', 'filtered']);
  });

  it('dead-letters undecodable records, unknown topics and empty item lists once', () => {
    expect(processRecordAll(batchChain, { ...record({}), value: null }, window, options)).toEqual([{ kind: 'dead', reason: { code: DeadLetterCode.TOMBSTONE, message: expect.any(String) } }]);
    expect(processRecordAll(batchChain, record({ n: 1, t: NOW }, 'other'), window, options)).toMatchObject([{ kind: 'dead', reason: { code: DeadLetterCode.UNKNOWN_TOPIC } }]);
    expect(processRecordAll(batchChain, record({ items: [] }), window, options)).toEqual([{ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path: 'items', message: 'items: expected a non-empty list' } }]);
  });
});
