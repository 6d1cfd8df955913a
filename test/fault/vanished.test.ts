import { jsonValue } from '../../fault/jsonValue';
import { processedSource } from '../../fault/vanished';

const parsed = (value: string | null): unknown => jsonValue(value === null ? null : Buffer.from(value));

describe('processedSource', () => {
  it('reads the partition and offset a processed document names as its source', () => {
    expect(processedSource(parsed(JSON.stringify({ event_id: 'x', source: { topic: 'user-login', partition: 2, offset: 4711 } })))).toBe('2/4711');
  });

  it('is undefined for a record without a whole source, or that is not JSON', () => {
    expect(processedSource(parsed(JSON.stringify({ source: { partition: 2 } })))).toBeUndefined();
    expect(processedSource(parsed('{not json'))).toBeUndefined();
    expect(processedSource(parsed(null))).toBeUndefined();
  });
});
