import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { z } from 'zod';
import { serviceSettings } from '../../../pipeline/config';
import { AccessError, ConfigError } from '../../../pipeline/errors';
import type { BatchConsumer, BatchHandler } from '../../../pipeline/kafka';
import { createLogger } from '../../../pipeline/logger';
import { closeInOrder, runService, startService, type ServiceDefinition, type ServiceIo } from '../../../pipeline/service';

const settings = z.object({ ...serviceSettings, GREETING: z.string().default('hi') });
const quiet = () => createLogger('test', 'silent');

/** A service whose Kafka clients are fakes; `log` records every step in order. */
function fakeService() {
  const log: string[] = [];
  let endLoop!: (err?: Error) => void;
  const consumer = Object.assign(new EventEmitter(), {
    connect: async () => void log.push('consumer.connect'),
    start: (handler: BatchHandler) => {
      log.push('consumer.start');
      void handler;
      return new Promise<void>((resolve, reject) => (endLoop = (err) => (err ? reject(err) : resolve())));
    },
  }) as unknown as BatchConsumer;
  const def: ServiceDefinition<typeof settings> = {
    name: 'test-service',
    settings,
    setup(s, { steps }) {
      log.push(`setup ${s.GREETING}`);
      return {
        producer: { connect: async () => void log.push('producer.connect') },
        consumer,
        handle: () => undefined,
        started: {},
        close: [
          { name: 'first', run: () => void log.push('close first') },
          {
            name: 'broken',
            run: async () => {
              log.push('close broken');
              throw new Error('step failed');
            },
          },
          { name: 'loop', run: () => (endLoop(), log.push('loop ended'), steps.loop.run()) },
          steps.server,
          { name: 'last', run: () => void log.push('close last') },
        ],
      };
    },
  };
  return { def, log, endLoop: (err?: Error) => endLoop(err) };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const env = { METRICS_PORT: '0', LOG_LEVEL: 'silent' };

describe('closeInOrder', () => {
  it('runs every step once, in order, past a failing one, and returns the same promise on every call', async () => {
    const ran: string[] = [];
    const close = closeInOrder(quiet(), [
      { name: 'a', run: () => ran.push('a') },
      { name: 'b', run: () => Promise.reject(new Error('b failed')) },
      { name: 'c', run: () => ran.push('c') },
    ]);
    const first = close();
    expect(close()).toBe(first);
    await first;
    await close();
    expect(ran).toEqual(['a', 'c']);
  });
});

describe('startService', () => {
  it('stops at an invalid LOG_LEVEL with the ConfigError naming it, before anything is set up', async () => {
    const { def, log } = fakeService();
    const err = await startService(def, { env: { LOG_LEVEL: 'loud' }, logger: quiet(), exit: jest.fn() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe('LOG_LEVEL');
    expect(log).toEqual([]);
  });

  it('sets the validated LOG_LEVEL, connects the producer before the consumer, then starts the loop', async () => {
    const { def, log } = fakeService();
    const logger = createLogger('test', 'info');
    const service = await startService(def, { env: { ...env, LOG_LEVEL: 'fatal', GREETING: 'hello' }, logger, exit: jest.fn() });
    expect(logger.level).toBe('fatal');
    expect(log).toEqual(['setup hello', 'producer.connect', 'consumer.connect', 'consumer.start']);
    await service.close();
  });

  it('serves /healthz and /metrics on METRICS_PORT while running', async () => {
    const port = await freePort();
    const { def } = fakeService();
    const service = await startService(def, { env: { ...env, METRICS_PORT: String(port) }, logger: quiet(), exit: jest.fn() });
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('service="test-service"');
    } finally {
      await service.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('closes in the declared order, every step even after a failure, once however often close is called', async () => {
    const { def, log } = fakeService();
    const service = await startService(def, { env, logger: quiet(), exit: jest.fn() });
    log.length = 0;
    const closing = service.close();
    expect(service.close()).toBe(closing);
    await closing;
    expect(log).toEqual(['close first', 'close broken', 'loop ended', 'close last']);
  });

  it('on a loop failure logs fatal, closes and exits 1', async () => {
    const { def, log, endLoop } = fakeService();
    const exit = jest.fn();
    await startService(def, { env, logger: quiet(), exit });
    endLoop(new Error('poll broke'));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toContain('close last');
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    process.exitCode = undefined;
  });
});

describe('runService', () => {
  function io(over: Partial<ServiceIo> = {}) {
    const handlers = new Map<string, () => void>();
    const value = {
      env,
      exit: jest.fn(),
      stderr: jest.fn(),
      onSignal: (signal: string, handler: () => void) => void handlers.set(signal, handler),
      ...over,
    };
    return { io: value, signal: (s: string) => handlers.get(s)!() };
  }

  it('exits 2 with a message naming the setting on bad configuration', async () => {
    const { def } = fakeService();
    const { io: value } = io({ env: { METRICS_PORT: 'many' } });
    await runService(def, value);
    expect(value.exit).toHaveBeenCalledWith(2);
    expect(value.stderr).toHaveBeenCalledWith(expect.stringMatching(/^configuration error: METRICS_PORT: /));
  });

  it('exits 3 naming the missing permission when Kafka denies the principal a topic it needs', async () => {
    const { def } = fakeService();
    const denied: ServiceDefinition<typeof settings> = {
      ...def,
      setup: () => {
        throw new AccessError('User:indexer', ['Write on topic user-login']);
      },
    };
    const { io: value } = io();
    await runService(denied, value);
    expect(value.exit).toHaveBeenCalledWith(3);
    expect(value.stderr).toHaveBeenCalledWith(expect.stringMatching(/^access error: Kafka denies User:indexer Write on topic user-login: /));
  });

  it('closes on SIGTERM and exits 0; a second signal exits 130 at once', async () => {
    const { def, log } = fakeService();
    const { io: value, signal } = io();
    await runService(def, value);
    signal('SIGTERM');
    signal('SIGINT');
    expect(value.exit).toHaveBeenCalledWith(130);
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toContain('close last');
    expect(value.exit).toHaveBeenLastCalledWith(0);
  });
});

describe('createLogger', () => {
  it('does not read LOG_LEVEL from the environment', () => {
    const before = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'loud';
    try {
      expect(createLogger('test').level).toBe('info');
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });
});
