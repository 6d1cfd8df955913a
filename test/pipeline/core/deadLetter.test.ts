import { DEAD_LETTER_MAX_BYTES, DeadLetterCode, DeadLetterHeader, readDeadLetterHeaders, toDeadLetter, type SourceRecord } from '../../../pipeline/core';

const record: SourceRecord = {
  topic: 'user-login',
  partition: 2,
  offset: 12345,
  key: Buffer.from('user-1'),
  value: Buffer.from([0x7b, 0xc3, 0x28, 0xff]),
  headers: [
    { key: 'traceparent', value: Buffer.from('00-abc-def-01') },
    { key: 'binary', value: Buffer.from([0, 1, 2, 255]) },
  ],
  timestamp: 1_700_000_000_000,
};
const NOW = Date.UTC(2024, 5, 15, 12, 0, 0);

describe('toDeadLetter', () => {
  it('carries code, reason, field, stage, chain, source coordinates and failure time in headers', () => {
    const dl = toDeadLetter(record, { code: DeadLetterCode.SCHEMA, message: 'ip: must be an IPv4 or IPv6 address', path: 'ip' }, 'processor', 'login', NOW);
    expect(readDeadLetterHeaders(dl.headers)).toEqual({
      [DeadLetterHeader.CODE]: 'schema_violation',
      [DeadLetterHeader.REASON]: 'ip: must be an IPv4 or IPv6 address',
      [DeadLetterHeader.FIELD]: 'ip',
      [DeadLetterHeader.STAGE]: 'processor',
      [DeadLetterHeader.CHAIN]: 'login',
      [DeadLetterHeader.SOURCE_TOPIC]: 'user-login',
      [DeadLetterHeader.SOURCE_PARTITION]: '2',
      [DeadLetterHeader.SOURCE_OFFSET]: '12345',
      [DeadLetterHeader.FAILED_AT]: '2024-06-15T12:00:00.000Z',
    });
  });

  it('leaves the field header out when no single field is to blame', () => {
    const dl = toDeadLetter(record, { code: DeadLetterCode.NOT_JSON, message: 'record value is not JSON' }, 'indexer', 'login', NOW);
    const h = readDeadLetterHeaders(dl.headers);
    expect(h).not.toHaveProperty(DeadLetterHeader.FIELD);
    expect(h[DeadLetterHeader.STAGE]).toBe('indexer');
    expect(h[DeadLetterHeader.CODE]).toBe('not_json');
  });

  it('keeps the original key and value bytes untouched, invalid UTF-8 included', () => {
    const dl = toDeadLetter(record, { code: DeadLetterCode.INVALID_UTF8, message: 'bad' }, 'processor', 'login', NOW);
    expect(dl.key).toEqual(Buffer.from('user-1'));
    expect(dl.value).toEqual(Buffer.from([0x7b, 0xc3, 0x28, 0xff]));
  });

  it('keeps a tombstone a tombstone and a missing key missing', () => {
    const dl = toDeadLetter({ ...record, key: null, value: null }, { code: DeadLetterCode.TOMBSTONE, message: 'no value' }, 'processor', 'login', NOW);
    expect(dl.key).toBeNull();
    expect(dl.value).toBeNull();
  });

  it('keeps the original headers, byte for byte, after its own', () => {
    const dl = toDeadLetter(record, { code: DeadLetterCode.SCHEMA, message: 'x', path: 'ip' }, 'processor', 'login', NOW);
    const tail = dl.headers.slice(-2);
    expect(tail).toEqual(record.headers);
    expect(dl.headers.slice(0, -2).every((h) => h.key.startsWith('dlq.'))).toBe(true);
  });

  it('cuts a very long reason to 1000 characters', () => {
    const dl = toDeadLetter(record, { code: DeadLetterCode.NOT_JSON, message: 'y'.repeat(5000) }, 'processor', 'login', NOW);
    expect(readDeadLetterHeaders(dl.headers)[DeadLetterHeader.REASON]).toHaveLength(1000);
  });
});

describe('readDeadLetterHeaders', () => {
  it('reads only the dlq.* headers', () => {
    const h = readDeadLetterHeaders([
      { key: 'dlq.code', value: Buffer.from('too_large') },
      { key: 'traceparent', value: Buffer.from('t') },
    ]);
    expect(h).toEqual({ 'dlq.code': 'too_large' });
  });
});

describe('toDeadLetter of a value near the broker maximum', () => {
  const huge = { ...record, value: Buffer.alloc(1_040_000, 0x61) };

  it('cuts the value so the dead letter can still be produced, and says how long it was', () => {
    const dl = toDeadLetter(huge, { code: DeadLetterCode.TOO_LARGE, message: 'too large' }, 'processor', 'login', NOW);
    const size = dl.value!.length + (dl.key?.length ?? 0) + dl.headers.reduce((n, h) => n + h.key.length + h.value.length, 0);
    expect(size).toBeLessThanOrEqual(DEAD_LETTER_MAX_BYTES);
    expect(dl.value!.equals(huge.value.subarray(0, dl.value!.length))).toBe(true);
    expect(readDeadLetterHeaders(dl.headers)[DeadLetterHeader.VALUE_ORIGINAL_BYTES]).toBe('1040000');
  });

  it('writes its headers in the order README.md#dead-letters documents, the original ones last', () => {
    const dl = toDeadLetter(huge, { code: DeadLetterCode.SCHEMA, message: 'x', path: 'padding' }, 'processor', 'login', NOW);
    expect(dl.headers.map((h) => h.key)).toEqual([
      'dlq.code',
      'dlq.reason',
      'dlq.stage',
      'dlq.chain',
      'dlq.source.topic',
      'dlq.source.partition',
      'dlq.source.offset',
      'dlq.failed_at',
      'dlq.value.original_bytes',
      'dlq.field',
      'traceparent',
      'binary',
    ]);
    // The cap is on the whole record, so the value itself ends a little below it.
    const total = dl.value!.length + huge.key!.length + dl.headers.reduce((n, h) => n + h.key.length + h.value.length, 0);
    expect(dl.value!.length).toBeLessThan(DEAD_LETTER_MAX_BYTES - 200);
    expect(total).toBeGreaterThan(DEAD_LETTER_MAX_BYTES - 128);
  });

  it('leaves values that fit untouched, without the header', () => {
    const big = { ...record, value: Buffer.alloc(100 * 1024, 0x61) };
    const dl = toDeadLetter(big, { code: DeadLetterCode.TOO_LARGE, message: 'too large' }, 'processor', 'login', NOW);
    expect(dl.value).toBe(big.value);
    expect(readDeadLetterHeaders(dl.headers)).not.toHaveProperty(DeadLetterHeader.VALUE_ORIGINAL_BYTES);
  });
});
