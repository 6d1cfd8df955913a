import { selectProcessing } from '../pipeline/chains/processing';
import { processRecord } from '../pipeline/core';
import { selectGeneration } from '../producer/src/chains';
import { generateRaw, PROCESSING_CONTEXT } from './ceilings';

/**
 * CPU µs per record of the enrichment core plus the processor's serialization, in one pass
 * over fresh generated logins (a cache sees each address as often as a live processor does,
 * not once per repeated pass). Process CPU time, not wall time: on a shared machine a
 * change of the core shows in the CPU it takes, whoever else runs.
 *
 *   npm run build && node dist/bench/coreCpu.js [events]
 */
function main(events: number): void {
  const chain = selectProcessing(['login'])[0]!;
  const gen = selectGeneration(['login'])[0]!;
  const records = generateRaw(gen, events, 1);
  const warm = generateRaw(gen, 20_000, 2);
  const ctx = { ...PROCESSING_CONTEXT, nowMs: Date.now() + 60_000 };
  const options = { maxRecordBytes: 64 * 1024, filters: [] };
  for (const r of warm) processRecord(chain, r, ctx, options);
  const c0 = process.cpuUsage();
  let bytes = 0;
  for (const r of records) {
    const o = processRecord(chain, r, ctx, options);
    if (o.kind !== 'ok') throw new Error(`a generated record was not processed: ${JSON.stringify(o)}`);
    bytes += Buffer.from(JSON.stringify(o.document)).length;
  }
  const c = process.cpuUsage(c0);
  process.stdout.write(`${JSON.stringify({ events, cpuMicrosPerRecord: (c.user + c.system) / events, meanDocBytes: bytes / events })}\n`);
}

main(Number(process.argv[2] ?? 100_000));
