import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAll, REPO_ROOT, StackInstance } from '../harness';
import { USAGE, parseFaultArgs } from './options';
import { runScenario } from './runScenario';
import { SCENARIOS, guaranteeOf } from './scenarios';
import { markdownTable, type ResultRow } from './table';
import { formatFailure, judge, type Failure } from './verdict';

function log(line: string): void {
  process.stdout.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const options = parseFaultArgs(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = process.env;
  // Below Linux's ephemeral range (32768-60999): a server restarted on a port that some
  // client connection holds as its local port fails with 'Address already in use'.
  const stack = new StackInstance({
    home: env.FAULT_STACK_HOME ?? join(REPO_ROOT, '.stack-faults'),
    kafkaPort: Number(env.FAULT_KAFKA_PORT ?? 19092),
    kafkaControllerPort: Number(env.FAULT_KAFKA_CONTROLLER_PORT ?? 19093),
    openSearchPort: Number(env.FAULT_OPENSEARCH_PORT ?? 19200),
    openSearchTransportPort: Number(env.FAULT_OPENSEARCH_TRANSPORT_PORT ?? 19300),
  });
  const scenarios = SCENARIOS.filter((s) => options.only.includes(s.id)).map((s) => (options.guarantee ? { ...s, guarantee: options.guarantee } : s));
  const runId = Date.now().toString(36);
  const t0 = Date.now();
  log(`${options.quick ? 'quick' : 'full'} suite: ${scenarios.map((s) => s.id).join(', ')}; ${options.events} events per scenario at ${options.rate}/s, ${options.partitions} partitions, seed ${options.seed}${options.guarantee ? `, every scenario under ${options.guarantee}` : ''}`);
  log(`starting the suite's stack (${stack.config.home}, Kafka ${stack.brokers}, OpenSearch ${stack.openSearchUrl})`);

  let stopping = false;
  const stopStack = async () => {
    if (stopping || options.keepStack) return;
    stopping = true;
    log('stopping the suite\'s stack');
    await stack.down().catch((err: unknown) => log(`stack/stack down failed: ${String(err)}`));
  };
  // Ctrl-C or CI's timeout: the servers must not outlive the suite.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      killAll();
      void stopStack().then(() => process.exit(130));
    });
  }

  const rows: ResultRow[] = [];
  const failures: Failure[] = [];
  try {
    await stack.up();
    for (const s of scenarios) {
      log(`=== ${s.id}: ${s.title}`);
      try {
        if ((s.brokers ?? 1) !== stack.brokerCount) log(`switching the suite's Kafka to ${s.brokers ?? 1} broker(s)`);
        await stack.useBrokers(s.brokers ?? 1);
        const measured = await runScenario(s, { stack, quick: options.quick, drainDeadlineMs: options.quick ? 180_000 : 600_000, events: options.events, rate: options.rate, partitions: options.partitions, seed: options.seed, runId, log });
        const failed = judge(s, measured);
        failures.push(...failed);
        rows.push({ scenario: s.id, passed: failed.length === 0, guarantee: guaranteeOf(s), measured });
        log(`=== ${s.id}: ${failed.length === 0 ? 'pass' : `FAIL (${failed.length})`} in ${Math.round(measured.elapsedMs / 1000)} s`);
        for (const f of failed) log(formatFailure(f));
      } catch (err) {
        const f = { scenario: s.id, assertion: 'scenario ran to the end', expected: 'no error', actual: (err as Error).stack ?? String(err) };
        failures.push(f);
        log(formatFailure(f));
      }
    }
  } finally {
    await stopStack();
  }

  const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
  const table = markdownTable(rows);
  process.stdout.write(`\n${table}\n\n`);
  writeFileSync(options.json, `${JSON.stringify({ date: new Date().toISOString(), options, minutes: Number(minutes), rows, failures }, null, 2)}\n`);
  log(`results written to ${options.json}; ${minutes} min`);
  if (failures.length > 0) {
    process.stdout.write(`${failures.length} assertion(s) failed:\n${failures.map(formatFailure).join('\n')}\n`);
    return 1;
  }
  log(`all ${rows.length} scenarios passed`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`faults: ${(err as Error).message}\n${USAGE}\n`);
      process.exit(2);
    },
  );
}
