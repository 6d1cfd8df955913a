import { Faker, en } from '@faker-js/faker';
import type { ChainGenerator, GeneratedRecord, GeneratorOptions } from '../../chains/types';
import { PROFILES_INPUT_TOPIC } from '../../../../pipeline/chains/profiles/topics';
import { loginUsers } from '../login';
import { randomUser } from './randomUser';

/** randomuser.me returns 1 to 5000 users per request; ours ask for a few at a time. */
const MAX_PER_RESPONSE = 5;
/** Gap between two simulated API calls when no clock is given. */
const CALL_GAP_MS = 1000;

/**
 * What fetching the randomuser.me API for the login pool's users gives: responses
 * `{ "results": [...], "info": { seed, results, page, version } }`, one per record, in
 * exactly the API's format. The users are those `--shape users` logins come from (same
 * `--seed`), in pool order, each fetched once; after the whole pool, users are fetched
 * again at random, having moved (a newer profile the processed topic keeps as the latest).
 */
export const generateProfiles: ChainGenerator = (options) => profileResponses(options);

function* profileResponses({ seed, startTimeMs, now }: GeneratorOptions): Iterator<GeneratedRecord> {
  const users = loginUsers(seed);
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  const versions = new Map<string, number>();
  let next = 0;
  for (let page = 1; ; page++) {
    const t = now ? now() : startTimeMs + (page - 1) * CALL_GAP_MS;
    const n = f.number.int({ min: 1, max: MAX_PER_RESPONSE });
    const results = Array.from({ length: n }, () => {
      const user = next < users.length ? users[next++]! : f.helpers.arrayElement(users);
      const version = versions.get(user.id) ?? 0;
      versions.set(user.id, version + 1);
      return randomUser(user.id, user.country, t, version);
    });
    const response = { results, info: { seed: `streamdex-${seed}`, results: n, page, version: '1.4' } };
    yield { topic: PROFILES_INPUT_TOPIC, key: null, value: Buffer.from(JSON.stringify(response)), eventTimeMs: t };
  }
}
