import { Faker, en } from '@faker-js/faker';
import type { ChainGenerator, GeneratedRecord, GeneratorOptions } from '../chains/types';
import { bisect } from './bisect';
import type { InteractionType } from '../../../pipeline/chains/interactions/schema';

const USERS = 3000;
const PAGES = 400;
/** Sessions in progress at once: their events interleave as real traffic does. */
const CONCURRENT_SESSIONS = 40;
/** Share of records with an event_id: the original producer never sent one. */
const EVENT_ID_SHARE = 0.9;

const CURRENCIES: ReadonlyArray<{ weight: number; value: { code: string; rate: number } }> = [
  { weight: 60, value: { code: 'USD', rate: 1 } },
  { weight: 20, value: { code: 'EUR', rate: 0.92 } },
  { weight: 12, value: { code: 'GBP', rate: 0.79 } },
  { weight: 8, value: { code: 'CAD', rate: 1.36 } },
];

/**
 * Next step of a session from each step: weights, the rest of 100 ends the session.
 * A shop funnel: mostly browsing, some clicks and searches, fewer carts, few purchases.
 */
const NEXT: Record<InteractionType | 'start', ReadonlyArray<readonly [InteractionType, number]>> = {
  start: [['page_visit', 100]],
  page_visit: [['page_visit', 38], ['click', 22], ['search', 9], ['add_to_cart', 7], ['signup', 2]],
  click: [['page_visit', 40], ['click', 12], ['add_to_cart', 12], ['search', 4]],
  search: [['page_visit', 45], ['click', 20], ['search', 10], ['add_to_cart', 5]],
  add_to_cart: [['purchase', 30], ['page_visit', 25], ['add_to_cart', 10], ['click', 5]],
  purchase: [['page_visit', 30], ['click', 5]],
  signup: [['page_visit', 60], ['click', 10]],
};

interface User {
  id: number;
  registered: boolean;
  weight: number;
  currency: { code: string; rate: number };
}

interface Session {
  user: User;
  step: InteractionType | 'start';
  page: number;
  cart: number;
}

/**
 * Shop traffic: a pool of users with skewed activity, sessions that walk a funnel
 * (page_visit -> click/search -> add_to_cart -> purchase), signups by unregistered users
 * (only registered users buy; an unregistered one at checkout signs up instead),
 * purchase amounts in a few currencies. Valid records only.
 */
export const generateInteractions: ChainGenerator = (options) => interactionsIterator(options);

function* interactionsIterator({ seed, startTimeMs, now }: GeneratorOptions): Iterator<GeneratedRecord> {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  const users: User[] = Array.from({ length: USERS }, (_, i) => ({
    id: 1000 + i,
    registered: f.number.float() < 0.7,
    weight: Math.pow(f.number.float({ min: 0.02, max: 1 }), 2),
    currency: f.helpers.weightedArrayElement(CURRENCIES),
  }));
  const cumulative: number[] = [];
  let total = 0;
  for (const u of users) cumulative.push((total += u.weight));
  const newSession = (): Session => ({
    user: users[bisect(cumulative, f.number.float({ min: 0, max: total }))]!,
    step: 'start',
    page: 1,
    cart: 0,
  });
  const sessions = Array.from({ length: CONCURRENT_SESSIONS }, newSession);

  let simulated = startTimeMs;
  for (;;) {
    simulated += Math.round(f.number.float({ min: 0, max: 300 }));
    const t = now ? now() : simulated;
    const slot = f.number.int(CONCURRENT_SESSIONS - 1);
    let s = sessions[slot]!;
    let type = pickNext(f, s);
    if (type === undefined) {
      s = sessions[slot] = newSession();
      type = 'page_visit';
    }
    if (type === 'purchase' && !s.user.registered) type = 'signup';
    if (type === 'signup' && s.user.registered) type = 'page_visit';

    const event: Record<string, unknown> = {};
    if (f.number.float() < EVENT_ID_SHARE) event.event_id = f.string.uuid();
    event.event_type = type;
    event.user_id = s.user.id;
    event.page_id = type === 'page_visit' ? pickPage(f) : s.page;
    event.timestamp = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
    switch (type) {
      case 'page_visit':
        s.page = event.page_id as number;
        break;
      case 'add_to_cart':
        s.cart += Math.round(lognormal(f, 35) * 100) / 100;
        break;
      case 'purchase': {
        const usd = s.cart > 0 ? s.cart : lognormal(f, 35);
        event.amount = Math.max(0.5, Math.round(usd * s.user.currency.rate * 100) / 100);
        event.currency = s.user.currency.code;
        s.cart = 0;
        break;
      }
      case 'signup':
        s.user.registered = true;
        break;
      case 'search':
        if (f.number.float() < 0.85) event.query = f.commerce.productName().toLowerCase();
        break;
      case 'click':
        break;
    }
    s.step = type;
    yield { topic: 'user_interactions', key: String(s.user.id), value: Buffer.from(JSON.stringify(event)), eventTimeMs: Math.floor(t / 1000) * 1000 };
  }
}

function pickNext(f: Faker, s: Session): InteractionType | undefined {
  let r = f.number.float({ min: 0, max: 100 });
  for (const [type, w] of NEXT[s.step]) {
    if (r < w) return type;
    r -= w;
  }
  return undefined;
}

/** A few pages (home, category pages) get most visits. */
function pickPage(f: Faker): number {
  return 1 + Math.floor(PAGES * Math.pow(f.number.float(), 3));
}

/** Log-normal around `median`, for basket values: many small, a few large. */
function lognormal(f: Faker, median: number): number {
  const u1 = f.number.float({ min: 1e-9, max: 1 });
  const u2 = f.number.float();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(0.8 * z);
}
