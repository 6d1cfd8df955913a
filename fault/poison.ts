import { randomBytes } from 'node:crypto';
import { runCommand } from '../harness';
import { KafkaProducer, type OutgoingRecord } from '../pipeline/kafka';

/** librdkafka's code for a record the broker (or the client's own limit) finds too large. */
const MSG_SIZE_TOO_LARGE = 10;
/** The broker's default message.max.bytes: the largest record batch it accepts. */
export const BROKER_MAX_BYTES = 1_048_588;

export interface PoisonResult {
  /** Valid events written (they carry odd headers and must be indexed). */
  valid: number;
  /** Broken records the broker acknowledged: the processor must dead-letter each. */
  poison: number;
  /** Records the broker refused at produce time: neither expected downstream nor lost. */
  refusedByBroker: number;
}

type Kind = 'valid' | 'poison' | 'too-large-for-broker';

export function loginEvent(userId: string): Record<string, unknown> {
  return {
    user_id: userId,
    app_version: '2.3.0',
    ip: '8.8.8.8',
    locale: 'RI',
    device_id: '593-47-5928',
    device_type: 'android',
    timestamp: Math.floor(Date.now() / 1000),
  };
}

/**
 * Poison the producer CLI cannot make, written straight to every partition: values just
 * under and over the broker's limit, random bytes, tombstones, non-UTF-8 header values,
 * and (through kcat, whose header names are raw bytes) a non-UTF-8 header name.
 */
export async function writePoison(brokers: string, topic: string, partitions: number): Promise<PoisonResult> {
  // No compression: the broker's limit applies to the compressed batch, and random bytes
  // must reach it at full size. The client's own limit is raised so the broker decides.
  const producer = new KafkaProducer({ brokers: [brokers], clientId: 'fault-poison', compression: 'none', librdkafka: { 'message.max.bytes': 4_000_000, 'message.timeout.ms': 60_000 } });
  await producer.connect();
  const records: Array<[Kind, OutgoingRecord]> = [];
  const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28]);
  for (let partition = 0; partition < partitions; partition++) {
    const rec = (value: Buffer | null, headers: OutgoingRecord['headers'] = []): OutgoingRecord => ({ topic, partition, key: `poison-${partition}`, value, headers });
    const json = (o: unknown) => Buffer.from(JSON.stringify(o));
    records.push(
      // ~1 MB: the broker takes it (its limit counts the whole batch), the processor's 64 KiB limit does not.
      ['poison', rec(randomBytes(BROKER_MAX_BYTES - 8 * 1024))],
      ['poison', rec(json({ ...loginEvent(`near-max-${partition}`), padding: 'x'.repeat(BROKER_MAX_BYTES - 10 * 1024) }))],
      ['too-large-for-broker', rec(randomBytes(BROKER_MAX_BYTES + 64 * 1024))],
      ['poison', rec(randomBytes(512))],
      ['poison', rec(Buffer.from([0x00, 0x01, 0x02, 0x7b, 0x22, 0x00]))],
      ['poison', rec(null)],
      ['valid', rec(json(loginEvent(`odd-header-${partition}`)), [{ key: 'trace', value: bad }, { key: 'ok', value: Buffer.from('fine') }])],
      ['poison', rec(Buffer.from('{"user_id": broken'), [{ key: 'trace', value: bad }])],
    );
  }
  const result: PoisonResult = { valid: 0, poison: 0, refusedByBroker: 0 };
  const outcomes = await Promise.allSettled(records.map(([, r]) => producer.send(r)));
  await producer.close();
  outcomes.forEach((o, i) => {
    const kind = records[i]![0];
    if (o.status === 'fulfilled') {
      if (kind === 'too-large-for-broker') throw new Error('the broker accepted a record above its maximum: the scenario no longer tests what it says');
      if (kind === 'valid') result.valid++;
      else result.poison++;
      return;
    }
    const reason = o.reason as { code?: number; cause?: { code?: number } };
    const code = reason.cause?.code ?? reason.code;
    if (kind === 'too-large-for-broker' && code === MSG_SIZE_TOO_LARGE) result.refusedByBroker++;
    else throw new Error(`poison record ${i} (${kind}) was not delivered: ${(o.reason as Error).message}`);
  });
  for (let partition = 0; partition < partitions; partition++) {
    await kcatWithRawHeaderName(brokers, topic, partition, JSON.stringify(loginEvent(`raw-header-name-${partition}`)));
    result.valid++;
  }
  return result;
}

async function kcatWithRawHeaderName(brokers: string, topic: string, partition: number, value: string): Promise<void> {
  // bash's $'..' turns the escapes into the raw bytes 0xff 0xfe (name) and 0xc3 0x28 (value).
  const script = `printf '%s\\n' "$VALUE" | kcat -P -b "$BROKERS" -t "$TOPIC" -p "$PARTITION" -H $'\\xff\\xfename=\\xc3\\x28'`;
  await runCommand('bash', ['-c', script], { env: { VALUE: value, BROKERS: brokers, TOPIC: topic, PARTITION: String(partition) }, inherit: true });
}
