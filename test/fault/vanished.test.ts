import type { Message } from '@confluentinc/kafka-javascript';
import { processedSource } from '../../fault/vanished';

const message = (value: string | null): Message => ({ topic: 't', partition: 0, offset: 0, size: 0, value: value === null ? null : Buffer.from(value) }) as unknown as Message;

describe('processedSource', () => {
  it('reads the partition and offset a processed document names as its source', () => {
    expect(processedSource(message(JSON.stringify({ event_id: 'x', source: { topic: 'user-login', partition: 2, offset: 4711 } })))).toBe('2/4711');
  });

  it('is undefined for a record without a whole source, or that is not JSON', () => {
    expect(processedSource(message(JSON.stringify({ source: { partition: 2 } })))).toBeUndefined();
    expect(processedSource(message('{not json'))).toBeUndefined();
    expect(processedSource(message(null))).toBeUndefined();
  });
});
