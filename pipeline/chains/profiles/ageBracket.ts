/** Age cohorts of the profile dashboard and of the profile block on logins. */
export const AGE_BRACKETS = ['under 18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export type AgeBracket = (typeof AGE_BRACKETS)[number];

const LOWER_BOUNDS = [0, 18, 25, 35, 45, 55, 65] as const;

export function ageBracket(age: number): AgeBracket {
  let i = LOWER_BOUNDS.length - 1;
  while (i > 0 && age < LOWER_BOUNDS[i]!) i--;
  return AGE_BRACKETS[i]!;
}
