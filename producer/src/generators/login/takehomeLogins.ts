import { Faker, en } from '@faker-js/faker';
import type { GeneratedRecord, GeneratorOptions } from '../../chains/types';
import { STATES } from './loginTraits';

/**
 * `--shape takehome`: the Fetch take-home's own generator, for compatibility tests. Every
 * message is a stranger: a new user and device uuid, app version always 2.3.0, four random
 * octets as the address (private, reserved and multicast ranges included), a US state as
 * locale, and `device_type` ("android" or "iOS") missing in about 5%. Fields in the
 * original's order; the timestamp as integer epoch seconds.
 */
export function* takehomeLogins({ seed, startTimeMs, now }: GeneratorOptions): Iterator<GeneratedRecord> {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  let simulated = startTimeMs;
  for (;;) {
    simulated += Math.round(f.number.float({ min: 0, max: 200 }));
    const t = now ? now() : simulated;
    const event: Record<string, unknown> = { user_id: f.string.uuid(), app_version: '2.3.0' };
    if (f.number.float() >= 0.05) event.device_type = f.helpers.arrayElement(['android', 'iOS']);
    event.ip = Array.from({ length: 4 }, () => f.number.int(255)).join('.');
    event.locale = f.helpers.arrayElement(STATES);
    event.device_id = f.string.uuid();
    event.timestamp = Math.floor(t / 1000);
    yield { topic: 'user-login', key: event.user_id as string, value: Buffer.from(JSON.stringify(event)), eventTimeMs: t };
  }
}
