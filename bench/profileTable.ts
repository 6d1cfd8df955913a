import { randomUUID } from 'node:crypto';
import { AGE_BRACKETS } from '../pipeline/chains/profiles/ageBracket';
import { ProfileTable } from '../pipeline/chains/profiles/profileTable';

/**
 * Memory of the processor's profile table (the stream-table join) for N users, and how fast
 * it is restored from processed-profile records:
 *   npm run build && node --expose-gc dist/bench/profileTable.js [users, default 1000000]
 * Every user gets a real processed-profile document (the shape the restore reads from the
 * compacted topic) run through `apply`; heap and RSS are taken after a full GC, before and
 * after, with the documents already gone. A plain Map of uuid to block objects is measured
 * the same way for comparison.
 */
const users = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const NATS = ['US', 'GB', 'DE', 'FR', 'IN', 'CA', 'BR', 'AU', 'MX', 'NL', 'ES', 'IE', 'NZ', 'CH', 'TR'];
const COUNTRIES = ['United States', 'United Kingdom', 'Germany', 'France', 'India', 'Canada', 'Brazil', 'Australia', 'Mexico', 'Netherlands', 'Spain', 'Ireland', 'New Zealand', 'Switzerland', 'Turkey'];

function memory() {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heapMiB: m.heapUsed / 2 ** 20, rssMiB: m.rss / 2 ** 20 };
}

function doc(i: number, id: string): Buffer {
  const n = i % NATS.length;
  return Buffer.from(
    JSON.stringify({
      event_id: id, user_id: id, username: `user${i}`, gender: i % 2 ? 'male' : 'female', name: { title: 'Mr', first: 'A', last: 'B' }, email: `u${i}@example.com`,
      nationality: NATS[n], location: { country: COUNTRIES[n], city: 'X', coordinates: { lat: 1.5, lon: 2.5 } },
      dob: { date: '1990-01-01T00:00:00.000Z', age: 18 + (i % 60) }, age_bracket: AGE_BRACKETS[i % AGE_BRACKETS.length],
      registered: { date: '2010-01-01T00:00:00.000Z', age: 16, year: 2002 + (i % 22) }, quality: { dialect: 'randomuser' },
    }),
  );
}

const base = memory();
const table = new ProfileTable();
const t0 = process.hrtime.bigint();
for (let i = 0; i < users; i++) {
  const id = randomUUID();
  table.apply(Buffer.from(id), doc(i, id));
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const packed = memory();
if (table.size !== users) throw new Error(`table holds ${table.size}, expected ${users}`);

const plain = new Map<string, object>();
for (let i = 0; i < users; i++) {
  const n = i % NATS.length;
  plain.set(randomUUID(), { nationality: NATS[n], country: COUNTRIES[n], age_bracket: AGE_BRACKETS[i % AGE_BRACKETS.length], registration_year: 2002 + (i % 22) });
}
const both = memory();

const out = {
  users,
  node: process.version,
  table: { heapMiB: +(packed.heapMiB - base.heapMiB).toFixed(1), rssMiB: +(packed.rssMiB - base.rssMiB).toFixed(1), bytesPerUser: Math.round(((packed.heapMiB - base.heapMiB) * 2 ** 20) / users) },
  restore: { seconds: +seconds.toFixed(2), profilesPerSecond: Math.round(users / seconds) },
  plainMapOfObjects: { heapMiB: +(both.heapMiB - packed.heapMiB).toFixed(1), bytesPerUser: Math.round(((both.heapMiB - packed.heapMiB) * 2 ** 20) / users) },
  processRssMiB: +both.rssMiB.toFixed(1),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
// Keep both alive until measured.
if (table.lookup('x') || plain.size < 0) process.exit(1);
