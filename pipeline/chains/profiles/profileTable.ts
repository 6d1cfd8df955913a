import { AGE_BRACKETS, type AgeBracket } from './ageBracket';

/** What a processed login carries of its user's latest profile. */
export interface ProfileBlock {
  nationality: string;
  country: string;
  age_bracket: AgeBracket;
  registration_year: number;
}

/** The join's view of the table: the login enricher sees only this. */
export interface ProfileLookup {
  lookup(userId: string): ProfileBlock | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const YEAR_BASE = 1900;

/**
 * The latest profile per user, as small as a JavaScript Map allows: the key is a uuid's 16
 * bytes as a 17-character one-byte string (not its 36 characters), the value one integer
 * packing country (an index into the countries seen), nationality, age bracket and
 * registration year, which stays a small integer (no heap object) for up to 1,024
 * countries. docs/benchmark.md has what 1 million users cost.
 */
export class ProfileTable implements ProfileLookup {
  private readonly rows = new Map<string, number>();
  private readonly countries: string[] = [];
  private readonly countryIndex = new Map<string, number>();

  get size(): number {
    return this.rows.size;
  }

  set(userId: string, p: ProfileBlock): void {
    let c = this.countryIndex.get(p.country);
    if (c === undefined) {
      c = this.countries.push(p.country) - 1;
      this.countryIndex.set(p.country, c);
    }
    const nat = (p.nationality.charCodeAt(0) - 65) * 26 + (p.nationality.charCodeAt(1) - 65);
    const year = Math.min(255, Math.max(0, p.registration_year - YEAR_BASE));
    this.rows.set(keyOf(userId), ((c * 1024 + nat) * 8 + AGE_BRACKETS.indexOf(p.age_bracket)) * 256 + year);
  }

  delete(userId: string): void {
    this.rows.delete(keyOf(userId));
  }

  lookup(userId: string): ProfileBlock | undefined {
    const v = this.rows.get(keyOf(userId));
    if (v === undefined) return undefined;
    const year = v % 256;
    const bracket = Math.floor(v / 256) % 8;
    const nat = Math.floor(v / 2048) % 1024;
    const country = Math.floor(v / 2_097_152);
    return {
      nationality: String.fromCharCode(65 + Math.floor(nat / 26), 65 + (nat % 26)),
      country: this.countries[country]!,
      age_bracket: AGE_BRACKETS[bracket]!,
      registration_year: YEAR_BASE + year,
    };
  }

  /**
   * One record of the processed-profile topic: a profile document sets its user's row, a
   * tombstone (compaction's deletion) removes it. Returns false for a value that is no
   * profile document, which is left out of the table.
   */
  apply(key: Buffer | null, value: Buffer | null): boolean {
    if (value === null) {
      if (key !== null) this.delete(key.toString('utf8'));
      return key !== null;
    }
    let doc: Record<string, any>;
    try {
      doc = JSON.parse(value.toString('utf8')) as Record<string, any>;
    } catch {
      return false;
    }
    const { user_id, nationality, age_bracket, location, registered } = doc;
    if (typeof user_id !== 'string' || typeof nationality !== 'string' || !/^[A-Z]{2}$/.test(nationality)) return false;
    if (typeof location?.country !== 'string' || !AGE_BRACKETS.includes(age_bracket) || typeof registered?.year !== 'number') return false;
    this.set(user_id, { nationality, country: location.country, age_bracket, registration_year: registered.year });
    return true;
  }
}

/** A uuid (any case) as 'u' + its 16 bytes; anything else as 'r' + itself, so the two never meet. */
function keyOf(userId: string): string {
  return UUID.test(userId) ? `u${Buffer.from(userId.replace(/-/g, ''), 'hex').toString('latin1')}` : `r${userId}`;
}
