import { setTimeout as sleep } from 'node:timers/promises';
import { endOffsets, partitionStates, withConsumer, type StackInstance } from '../harness';
import type { createOpenSearchClient } from '../pipeline/opensearch';

type OpenSearchClient = ReturnType<typeof createOpenSearchClient>;

/** What a fault on the brokers did, for the verdict: who was stopped, who took over, whether replicas caught up. */
export interface BrokerFaultMeasured {
  /** Stack node names, in the order they were stopped. */
  readonly victims: readonly string[];
  /** Leader kill: the input partition, its leader before the kill and the one elected after (-1: none in time). */
  readonly leaderChange?: { readonly partition: number; readonly before: number; readonly after: number; readonly ms: number };
  /** After the last restart, every replica of the scenario's topics (and of the group offsets) was back in sync. */
  readonly inSync: boolean;
}

export interface BrokerFaultContext {
  readonly stack: StackInstance;
  /** The scenario's own topics; their replicas (and the group offsets') must get back in sync. */
  readonly topics: readonly string[];
  readonly input: string;
  readonly partitions: number;
  readonly note: (line: string) => void;
}

/** How long a restarted node may take to bring every replica it holds back into the in-sync set. */
const IN_SYNC_DEADLINE_MS = 180_000;
const ELECTION_DEADLINE_MS = 60_000;
const OFFSETS_TOPIC = '__consumer_offsets';

/**
 * SIGKILLs the node leading the input partition that holds the most records (the busiest
 * one under a keyed load), waits until a replica in sync took over, leaves it dead for
 * `downMs`, starts it again and waits until it is back in every in-sync set.
 */
export async function killLeader(ctx: BrokerFaultContext, downMs: number, minRecords: number): Promise<BrokerFaultMeasured> {
  const brokers = ctx.stack.brokers;
  // The producer takes seconds to start on a loaded machine: "busiest" needs records to mean anything.
  const ends = await waitForRecords(brokers, ctx.input, ctx.partitions, minRecords);
  const partition = ends.indexOf(Math.max(...ends));
  const before = (await partitionStates(brokers, [ctx.input])).find((p) => p.partition === partition)?.leader ?? -1;
  if (before < 0) throw new Error(`partition ${partition} of ${ctx.input} has no leader to kill`);
  const victim = ctx.stack.kafkaNode(before);
  const pid = ctx.stack.pid(victim);
  if (pid === undefined) throw new Error(`no pid file for ${victim}`);
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  await waitGone(pid);
  ctx.note(`SIGKILL ${victim} (pid ${pid}), leader of ${ctx.input}/${partition} (${ends[partition]} records; ends ${ends.join('/')})`);
  let after = -1;
  while (Date.now() - killedAt < ELECTION_DEADLINE_MS) {
    const now = await partitionStates(brokers, [ctx.input]).catch(() => []);
    after = now.find((p) => p.partition === partition)?.leader ?? -1;
    if (after >= 0 && after !== before) break;
    after = -1;
    await sleep(250);
  }
  const electedMs = Date.now() - killedAt;
  ctx.note(after >= 0 ? `node ${after} leads ${ctx.input}/${partition} ${electedMs} ms after the kill` : `no new leader for ${ctx.input}/${partition} within ${ELECTION_DEADLINE_MS / 1000} s`);
  await sleep(Math.max(0, killedAt + downMs - Date.now()));
  await ctx.stack.up(victim);
  const inSync = await waitInSync(ctx);
  ctx.note(`${victim} restarted after ${Math.round((Date.now() - killedAt) / 1000)} s; replicas ${inSync ? 'back in sync' : 'NOT back in sync'}`);
  return { victims: [victim], leaderChange: { partition, before, after, ms: electedMs }, inSync };
}

async function waitForRecords(brokers: string, topic: string, partitions: number, minRecords: number): Promise<number[]> {
  const deadline = Date.now() + ELECTION_DEADLINE_MS;
  for (;;) {
    const ends = await withConsumer(brokers, 'streamdex-fault-offsets', (c) => endOffsets(c, topic, partitions));
    if (ends.reduce((a, b) => a + b, 0) >= minRecords || Date.now() > deadline) return ends;
    await sleep(250);
  }
}

/**
 * Each node in turn, as an operator upgrades a cluster: SIGTERM (controlled shutdown),
 * start, replicas in sync. Round after round while `loadGoesOn()` (so every restart is under
 * load, however long a restart takes on the machine), at least one full round.
 */
export async function rollingRestart(ctx: BrokerFaultContext, loadGoesOn: () => boolean): Promise<BrokerFaultMeasured> {
  const victims: string[] = [];
  let inSync = true;
  const nodes = ctx.stack.kafkaNodes();
  for (let i = 0; i < nodes.length || loadGoesOn(); i++) {
    const node = nodes[i % nodes.length]!;
    const t0 = Date.now();
    await ctx.stack.down(node);
    await ctx.stack.up(node);
    victims.push(node);
    const synced = await waitInSync(ctx);
    inSync &&= synced;
    ctx.note(`${node} restarted in ${Math.round((Date.now() - t0) / 1000)} s; replicas ${synced ? 'back in sync' : 'NOT back in sync'}`);
  }
  return { victims, inSync };
}

/** Until every partition of the scenario's topics has all its replicas in sync (false: not within the deadline). */
async function waitInSync(ctx: BrokerFaultContext): Promise<boolean> {
  const deadline = Date.now() + IN_SYNC_DEADLINE_MS;
  const topics = [...ctx.topics, OFFSETS_TOPIC];
  while (Date.now() < deadline) {
    const states = await partitionStates(ctx.stack.brokers, topics).catch(() => []);
    const expected = ctx.topics.length * ctx.partitions;
    const own = states.filter((p) => p.topic !== OFFSETS_TOPIC);
    if (own.length >= expected && states.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)) return true;
    await sleep(1000);
  }
  return false;
}

/** The index behind `alias` refuses writes for `blockedMs` (as at the flood-stage disk watermark), then takes them again. */
export async function blockIndex(os: OpenSearchClient, alias: string, blockedMs: number, note: (line: string) => void): Promise<void> {
  // Blocked while documents are flowing: the indexer creates the index at start, which may
  // not have happened yet on a loaded machine.
  const deadline = Date.now() + ELECTION_DEADLINE_MS;
  while (Date.now() < deadline) {
    const n = await os.count({ index: alias }).then((r) => (r.body as { count: number }).count, () => 0);
    if (n > 0) break;
    await sleep(250);
  }
  await os.indices.putSettings({ index: alias, body: { 'index.blocks.read_only_allow_delete': true } as never });
  note(`${alias}: index.blocks.read_only_allow_delete set for ${blockedMs / 1000} s`);
  await sleep(blockedMs);
  await os.indices.putSettings({ index: alias, body: { 'index.blocks.read_only_allow_delete': null } as never });
  note(`${alias}: block lifted`);
}

/** A SIGKILLed server is not our child: wait until the kernel has removed it (or only a zombie is left). */
async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}
