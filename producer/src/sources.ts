import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { GeneratedRecord, GenerationFacet, GeneratorOptions } from './chains';

/** Generated events of a chain, from its declared generator; `useClock` stamps them with the wall clock. */
export function generatedRecords(
  chain: GenerationFacet,
  options: GeneratorOptions,
  useClock: boolean,
  wrap?: (records: Iterator<GeneratedRecord>) => Iterator<GeneratedRecord>,
): AsyncIterable<GeneratedRecord> {
  const generated = chain.generator(useClock ? { ...options, now: Date.now } : options);
  const it = wrap ? wrap(generated) : generated;
  return {
    [Symbol.asyncIterator]: () => ({ next: async () => it.next() }),
  };
}

/**
 * Lines of an NDJSON file (or stdin with "-"), sent byte for byte: validating is the
 * processor's job, so captured real data with its warts is exactly what gets tested.
 */
export async function* replayRecords(path: string, topic: string): AsyncIterable<GeneratedRecord> {
  const input = path === '-' ? process.stdin : createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    yield { topic, key: null, value: Buffer.from(line, 'utf8'), eventTimeMs: Date.now() };
  }
}
