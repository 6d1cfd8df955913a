import type { Message } from '@confluentinc/kafka-javascript';
import type { RecordHeader, SourceRecord } from '../../core/types';

export function toSourceRecord(m: Message): SourceRecord {
  const headers: RecordHeader[] = [];
  if (m.headers) {
    for (const h of m.headers) {
      for (const k of Object.keys(h)) {
        const v = h[k]!;
        headers.push({ key: k, value: typeof v === 'string' ? Buffer.from(v) : v });
      }
    }
  }
  const key = m.key === undefined || m.key === null ? null : typeof m.key === 'string' ? Buffer.from(m.key) : m.key;
  return { topic: m.topic, partition: m.partition, offset: Number(m.offset), key, value: m.value, headers, timestamp: m.timestamp };
}
