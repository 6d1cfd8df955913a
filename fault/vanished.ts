import { readTopic } from '../harness';
import { valueAt } from './jsonValue';

/** Input records that reached neither the processed topic nor a dead letter. */
export interface Vanished {
  /** Every record the input topic holds (read to its end). */
  readonly read: number;
  readonly count: number;
  /** The first few, as `p<partition>@<offset> <record time> <value's first bytes>`, to find them in the logs. */
  readonly examples: readonly string[];
}

const EXAMPLES = 5;

/** The `<partition>/<offset>` a processed document (parsed) names as its source. */
export function processedSource(doc: unknown): string | undefined {
  const partition = valueAt(doc, ['source', 'partition']);
  const offset = valueAt(doc, ['source', 'offset']);
  return typeof partition === 'number' && typeof offset === 'number' ? `${partition}/${offset}` : undefined;
}

/**
 * Reads the input topic and names every record whose `<partition>/<offset>` is not in
 * `accounted` (sources of processed records and of dead letters): the records a failed
 * count lost, with their time and content, instead of only how many.
 */
export async function vanishedRecords(brokers: string, input: string, partitions: number, accounted: ReadonlySet<string>): Promise<Vanished> {
  let count = 0;
  const examples: string[] = [];
  const read = await readTopic(brokers, input, partitions, (m) => {
    if (accounted.has(`${m.partition}/${m.offset}`)) return;
    count++;
    if (examples.length < EXAMPLES) {
      const at = m.timestamp !== undefined && m.timestamp > 0 ? new Date(m.timestamp).toISOString() : 'no time';
      const head = m.value === null || m.value === undefined ? 'null' : JSON.stringify(m.value.subarray(0, 60).toString('utf8'));
      examples.push(`p${m.partition}@${m.offset} ${at} ${head}`);
    }
  });
  return { read, count, examples };
}
