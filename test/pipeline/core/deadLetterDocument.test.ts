import { DeadLetterCode, deadLetterDocument, DEAD_LETTER_MAX_BYTES, PREVIEW_MAX_BYTES, previewOf, toDeadLetter, type SourceRecord } from '../../../pipeline/core';

const source = (value: Buffer | null, headers: SourceRecord['headers'] = []): SourceRecord => ({ topic: 'user-login', partition: 2, offset: 17, key: Buffer.from('user-1'), value, headers });
const onTopic = (r: ReturnType<typeof toDeadLetter>): SourceRecord => ({ ...r, topic: 'user-login-dlq', partition: 1, offset: 5, timestamp: 1_700_000_000_000 });
const FAILED_AT = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('deadLetterDocument', () => {
  it('carries the reason, the source coordinates, the dead letter’s own and a command that reads it back', () => {
    const dl = toDeadLetter(source(Buffer.from('{"user_id":1}'), [{ key: 'trace', value: Buffer.from('abc') }]), { code: DeadLetterCode.SCHEMA, message: 'user_id: expected string', path: 'user_id' }, 'processor', 'login', FAILED_AT);
    const { id, document } = deadLetterDocument(onTopic(dl), 'fallback', '127.0.0.1:9092');
    expect(id).toBe('user-login-2-17');
    expect(document).toEqual({
      chain: 'login',
      stage: 'processor',
      code: 'schema_violation',
      reason: 'user_id: expected string',
      field: 'user_id',
      failed_at: new Date(FAILED_AT).toISOString(),
      source: { topic: 'user-login', partition: 2, offset: 17 },
      dead_letter: { topic: 'user-login-dlq', partition: 1, offset: 5, timestamp: 1_700_000_000_000 },
      value: { original_bytes: 13, tombstone: false, preview: '{"user_id":1}', preview_encoding: 'utf8', preview_truncated: false },
      key: 'user-1',
      headers: [{ key: 'trace', value: 'abc', encoding: 'utf8' }],
      read_command: "kcat -C -b 127.0.0.1:9092 -t user-login-dlq -p 1 -o 5 -c 1 -e -f '%h\\n%s\\n'",
    });
  });

  it('gives the same id to the same failing record dead-lettered twice, so the second overwrites', () => {
    const dl = toDeadLetter(source(null), { code: DeadLetterCode.TOMBSTONE, message: 'tombstone' }, 'processor', 'login', FAILED_AT);
    const first = deadLetterDocument(onTopic(dl), 'login', 'b');
    const again = deadLetterDocument({ ...onTopic(dl), offset: 99 }, 'login', 'b');
    expect(again.id).toBe(first.id);
    expect(first.document.value).toEqual({ original_bytes: 0, tombstone: true, preview_encoding: 'none', preview_truncated: false });
  });

  it('gives the original length of a value cut to fit the topic, and a bounded preview', () => {
    const big = Buffer.alloc(DEAD_LETTER_MAX_BYTES + 5000, 'a');
    const dl = toDeadLetter(source(big), { code: DeadLetterCode.TOO_LARGE, message: 'too large' }, 'processor', 'login', FAILED_AT);
    expect(dl.value!.length).toBeLessThan(big.length);
    const { document } = deadLetterDocument(onTopic(dl), 'login', 'b');
    expect(document.value.original_bytes).toBe(big.length);
    expect(document.value.preview).toHaveLength(PREVIEW_MAX_BYTES);
    expect(document.value.preview_truncated).toBe(true);
  });

  it('indexes a record without dlq headers under its own coordinates, as unknown', () => {
    const { id, document } = deadLetterDocument({ topic: 'user-login-dlq', partition: 0, offset: 3, key: null, value: Buffer.from('x'), headers: [] }, 'login', 'b');
    expect(id).toBe('dead-letter:user-login-dlq-0-3');
    expect(document).toMatchObject({ chain: 'login', code: 'unknown', stage: 'unknown', source: { topic: 'user-login-dlq' } });
    expect(document.failed_at).toBeUndefined();
  });
});

describe('previewOf', () => {
  it('shows valid UTF-8 as text and moves a cut back to the start of a character', () => {
    expect(previewOf(Buffer.from('héllo'), 100)).toEqual({ text: 'héllo', encoding: 'utf8', truncated: false });
    // 'é' is 2 bytes: a cut after 'h' and its first byte keeps only 'h'.
    expect(previewOf(Buffer.from('héllo'), 2)).toEqual({ text: 'h', encoding: 'utf8', truncated: true });
    expect(previewOf(Buffer.from('😀😀'), 6)).toEqual({ text: '😀', encoding: 'utf8', truncated: true });
  });

  it('falls back to base64 for invalid UTF-8 and for binary with NUL bytes, bounded by the same size', () => {
    expect(previewOf(Buffer.from([0xc3, 0x28, 0xff, 0xfe]), 100)).toEqual({ text: 'wyj//g==', encoding: 'base64', truncated: false });
    expect(previewOf(Buffer.from([0x41, 0x00, 0x42]), 100)).toEqual({ text: 'QQBC', encoding: 'base64', truncated: false });
    const binary = Buffer.alloc(10_000, 0xff);
    const p = previewOf(binary, 512);
    expect(p.encoding).toBe('base64');
    expect(p.text.length).toBeLessThanOrEqual(512);
    expect(p.truncated).toBe(true);
  });

  it('says none for a missing value and shows an empty one as empty text', () => {
    expect(previewOf(null, 10)).toEqual({ text: '', encoding: 'none', truncated: false });
    expect(previewOf(Buffer.alloc(0), 10)).toEqual({ text: '', encoding: 'utf8', truncated: false });
  });
});
