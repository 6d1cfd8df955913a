import { Gauge, type Registry } from 'prom-client';
import { ProfileTable } from '../../pipeline/chains/profiles/profileTable';
import { ChainName, type ProcessingFacet } from '../../pipeline/chains/types';
import { TopicTail } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';

export interface ProfileJoin {
  readonly table: ProfileTable;
  readonly tail: TopicTail;
}

/** The topic the login join reads as its table, when this processor runs both chains. */
export function profileTableTopic(chains: readonly ProcessingFacet[]): string | undefined {
  const profiles = chains.find((c) => c.name === ChainName.PROFILES);
  return profiles && chains.some((c) => c.name === ChainName.LOGIN) ? profiles.topics.output : undefined;
}

/**
 * The stream-table join of logins with profiles, when this processor runs both chains: the
 * table of every user's latest profile is the compacted processed-profile topic, read to
 * its end before the first login is taken (so a restart, even after kill -9, rebuilds it
 * from what the broker acknowledged), then followed, so profiles processed meanwhile (by
 * this or another processor instance) join the logins after them.
 */
export async function startProfileJoin(
  chains: readonly ProcessingFacet[],
  client: { brokers: readonly string[]; clientId: string; librdkafka?: Readonly<Record<string, string>> },
  logger: Logger,
  registry: Registry,
): Promise<ProfileJoin | undefined> {
  const profiles = chains.find((c) => c.name === ChainName.PROFILES);
  if (!profiles || !chains.some((c) => c.name === ChainName.LOGIN)) return undefined;
  const table = new ProfileTable();
  let skipped = 0;
  const tail = new TopicTail({
    brokers: client.brokers,
    clientId: `${client.clientId}-profiles`,
    ...(client.librdkafka ? { librdkafka: client.librdkafka } : {}),
    topic: profiles.topics.output,
    onRecord: (r) => {
      if (!table.apply(r.key, r.value)) skipped++;
    },
    onError: (err) => logger.warn({ err: err.message, topic: profiles.topics.output }, 'profile table: poll failed, retrying'),
  });
  new Gauge({
    name: 'streamdex_processor_profile_table_users',
    help: 'Users in the profile table logins are joined with',
    registers: [registry],
    collect() {
      this.set(table.size);
    },
  });
  const t0 = Date.now();
  const read = await tail.start();
  logger.info({ topic: profiles.topics.output, ...read, users: table.size, skipped, ms: Date.now() - t0 }, 'profile table restored');
  return { table, tail };
}
