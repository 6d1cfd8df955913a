/**
 * randomuser.me's nationalities (its `nat` parameter) with the country its users live in
 * and the national id it gives them (`id.name`; empty, with a null value, where it has none).
 */
export const NATIONALITIES = {
  AU: { country: 'Australia', id: 'TFN' },
  BR: { country: 'Brazil', id: 'CPF' },
  CA: { country: 'Canada', id: 'SIN' },
  CH: { country: 'Switzerland', id: 'AVS' },
  DE: { country: 'Germany', id: 'SVNR' },
  DK: { country: 'Denmark', id: 'CPR' },
  ES: { country: 'Spain', id: 'DNI' },
  FI: { country: 'Finland', id: 'HETU' },
  FR: { country: 'France', id: 'INSEE' },
  GB: { country: 'United Kingdom', id: 'NINO' },
  IE: { country: 'Ireland', id: 'PPS' },
  IN: { country: 'India', id: 'UIDAI' },
  IR: { country: 'Iran', id: '' },
  MX: { country: 'Mexico', id: 'NSS' },
  NL: { country: 'Netherlands', id: 'BSN' },
  NO: { country: 'Norway', id: 'FN' },
  NZ: { country: 'New Zealand', id: '' },
  RS: { country: 'Serbia', id: 'SID' },
  TR: { country: 'Turkey', id: '' },
  UA: { country: 'Ukraine', id: '' },
  US: { country: 'United States', id: 'SSN' },
} as const;
export type Nationality = keyof typeof NATIONALITIES;
export const NATIONALITY_CODES = Object.keys(NATIONALITIES) as Nationality[];

/** Nationalities whose postcodes the API sends as numbers; the others' are text ("SW1A 1AA"). */
export const NUMERIC_POSTCODES: ReadonlySet<Nationality> = new Set(['AU', 'CH', 'DE', 'DK', 'ES', 'FI', 'FR', 'IN', 'MX', 'NO', 'NZ', 'RS', 'TR', 'UA', 'US']);
