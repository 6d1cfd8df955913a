import { setTimeout as sleep } from 'node:timers/promises';
import { committedOffsets, endOffsets, nothingReadable, withConsumer } from '../harness';

/**
 * "Caught up": every record that was in the input topic when the probe started has been
 * committed by the processor group, and every record that was then in the processed topic
 * has been committed by the indexer group. Committed means indexed or dead-lettered, so
 * this is the moment the fault's backlog is fully through the pipeline.
 */
export async function waitCaughtUp(
  brokers: string,
  groups: { processor: string; indexer: string },
  topics: { input: string; output: string },
  partitions: number,
  deadlineMs: number,
  cancelled: () => boolean = () => false,
): Promise<boolean> {
  const reached = async (group: string, topic: string, target: number[]) => {
    while (Date.now() < deadlineMs && !cancelled()) {
      try {
        const at = await withConsumer(brokers, group, (c) => committedOffsets(c, topic, partitions));
        if (await behindOnlyOnMarkers(brokers, topic, at, target)) return true;
      } catch {
        // The broker may be down or restarting: ask again.
      }
      await sleep(500);
    }
    return false;
  };
  const ends = async (topic: string) => {
    for (;;) {
      try {
        return await withConsumer(brokers, `fault-probe-${process.pid}`, (c) => endOffsets(c, topic, partitions));
      } catch (err) {
        if (Date.now() > deadlineMs || cancelled()) throw err;
        await sleep(500);
      }
    }
  };
  try {
    if (!(await reached(groups.processor, topics.input, await ends(topics.input)))) return false;
    return await reached(groups.indexer, topics.output, await ends(topics.output));
  } catch {
    return false;
  }
}

/**
 * Every partition's committed offset is at its target, or short of it only by offsets no
 * read_committed reader gets (transaction markers, aborted records of exactly_once).
 */
async function behindOnlyOnMarkers(brokers: string, topic: string, at: readonly number[], target: readonly number[]): Promise<boolean> {
  if (at.every((o, p) => o >= target[p]!)) return true;
  return withConsumer(brokers, `fault-probe-${process.pid}`, async (c) => {
    for (let p = 0; p < at.length; p++) if (!(await nothingReadable(c, topic, p, at[p]!, target[p]!))) return false;
    return true;
  });
}

/** Where each group stands against its topic's end, e.g. "processor p2 at 5338 of 5522". */
export async function describeLag(brokers: string, groups: { processor: string; indexer: string }, topics: { input: string; output: string }, partitions: number): Promise<string> {
  const parts: string[] = [];
  for (const [name, group, topic] of [['processor', groups.processor, topics.input], ['indexer', groups.indexer, topics.output]] as const) {
    const ends = await withConsumer(brokers, `fault-probe-${process.pid}`, (c) => endOffsets(c, topic, partitions));
    const at = await withConsumer(brokers, group, (c) => committedOffsets(c, topic, partitions));
    if (await behindOnlyOnMarkers(brokers, topic, at, ends)) continue;
    ends.forEach((end, p) => {
      if (at[p]! < end) parts.push(`${name} group p${p} committed ${at[p]} of ${end}`);
    });
  }
  return parts.join(', ') || 'no lag';
}
