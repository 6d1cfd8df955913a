import { EventEmitter } from 'node:events';
import pino from 'pino';
import { KafkaError } from '../../../pipeline/errors';
import { logConsumerEvents, type BatchConsumerEvents } from '../../../pipeline/kafka';
import { RetryReport } from '../../../pipeline/retry';

/** What the consumer's events put in the log, on a plain emitter and a logger that keeps its lines. */
function logged(now: () => number) {
  const lines: Array<{ msg: string; heldBack?: number; err?: { message: string } }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const consumer = new EventEmitter<BatchConsumerEvents>();
  logConsumerEvents(consumer, logger, new RetryReport(10_000, now));
  return { consumer, lines };
}

describe('logConsumerEvents', () => {
  it('logs the first of a repeated consumer error, then one per interval with the count held back', () => {
    let t = 0;
    const { consumer, lines } = logged(() => t);
    const refused = () => new KafkaError('offset commit failed: Broker: Coordinator load in progress', { retryable: true });
    for (let i = 0; i < 5; i++, t += 1000) consumer.emit('error', refused());
    consumer.emit('error', new KafkaError('offset commit failed: Broker: Not coordinator', { retryable: true }));
    t = 10_000;
    consumer.emit('error', refused());
    expect(lines.map((l) => [l.err?.message, l.heldBack])).toEqual([
      ['offset commit failed: Broker: Coordinator load in progress', undefined],
      ['offset commit failed: Broker: Not coordinator', undefined],
      ['offset commit failed: Broker: Coordinator load in progress', 4],
    ]);
    expect(lines.every((l) => l.msg === 'consumer error')).toBe(true);
  });
});
