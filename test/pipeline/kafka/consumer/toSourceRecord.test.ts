import type { Message } from '@confluentinc/kafka-javascript';
import { toSourceRecord } from '../../../../pipeline/kafka/consumer';

const message = (over: Partial<Message>): Message => ({ topic: 't', partition: 2, offset: 41, value: Buffer.from('v'), size: 1, ...over });

describe('toSourceRecord', () => {
  it('turns string keys and header values into Buffers, one header per key in order', () => {
    const r = toSourceRecord(message({ key: 'user-1', headers: [{ a: 'x', b: Buffer.from([0, 255]) }, { a: 'y' }], timestamp: 1700 }));
    expect(r).toEqual({
      topic: 't',
      partition: 2,
      offset: 41,
      key: Buffer.from('user-1'),
      value: Buffer.from('v'),
      headers: [
        { key: 'a', value: Buffer.from('x') },
        { key: 'b', value: Buffer.from([0, 255]) },
        { key: 'a', value: Buffer.from('y') },
      ],
      timestamp: 1700,
    });
  });

  it('gives a null key and no headers when Kafka gave none, and keeps a Buffer key and a tombstone as they are', () => {
    expect(toSourceRecord(message({ key: undefined }))).toMatchObject({ key: null, headers: [] });
    expect(toSourceRecord(message({ key: null }))).toMatchObject({ key: null, headers: [] });
    const key = Buffer.from([1, 2]);
    const r = toSourceRecord(message({ key, value: null }));
    expect(r.key).toBe(key);
    expect(r.value).toBeNull();
  });
});
