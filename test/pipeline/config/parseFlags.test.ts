import { z } from 'zod';
import { parseFlags } from '../../../pipeline/config';
import { ConfigError } from '../../../pipeline/errors';
import { parseFaultArgs } from '../../../fault/options';

const schema = z.object({ count: z.coerce.number().int('must be a whole number').min(1), loud: z.boolean() });
const flags = { count: { type: 'string', default: '3' }, loud: { type: 'boolean', default: false } } as const;

function settingOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseFlags', () => {
  it('applies defaults and validates values', () => {
    expect(parseFlags([], flags, schema)).toEqual({ count: 3, loud: false });
    expect(parseFlags(['--count', '7', '--loud'], flags, schema)).toEqual({ count: 7, loud: true });
  });

  it('answers help for --help, whatever the schema', () => {
    expect(parseFlags(['--help'], flags, schema)).toBe('help');
  });

  it('names the flag node refuses and the flag the schema refuses', () => {
    expect(settingOf(() => parseFlags(['--bogus'], flags, schema))).toBe('--bogus');
    expect(settingOf(() => parseFlags(['--count', '2.5'], flags, schema))).toBe('--count');
    expect(settingOf(() => parseFlags(['--count', '0'], flags, schema))).toBe('--count');
  });
});

describe('parseFaultArgs', () => {
  it('keeps its defaults, quick and full', () => {
    expect(parseFaultArgs([])).toMatchObject({ quick: false, events: 100_000, rate: 2000, partitions: 3, seed: 42, json: 'fault-results-full.json', keepStack: false });
    expect(parseFaultArgs(['--quick'])).toMatchObject({ quick: true, events: 15_000, json: 'fault-results-quick.json' });
  });

  it('names the flag of an unknown scenario or a bad number', () => {
    expect(settingOf(() => parseFaultArgs(['--only', 'kill-processor,nope']))).toBe('--only');
    expect(settingOf(() => parseFaultArgs(['--events', '50']))).toBe('--events');
    expect(settingOf(() => parseFaultArgs(['--rate', 'fast']))).toBe('--rate');
    expect(settingOf(() => parseFaultArgs(['--guarantee', 'exactly-once']))).toBe('--guarantee');
  });

  it('runs every scenario under --guarantee when given, each under its own otherwise', () => {
    expect(parseFaultArgs([])).toMatchObject({ guarantee: undefined });
    expect(parseFaultArgs(['--guarantee', 'exactly_once'])).toMatchObject({ guarantee: 'exactly_once', json: 'fault-results-full-exactly_once.json' });
  });
});
