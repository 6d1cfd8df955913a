/**
 * Where simulated users live: real public /16 blocks (consumer ISPs) per country, each
 * one that the bundled GeoLite data (geoip-lite) places wholly in that country, so the
 * processor's geo enrichment gives a user's home logins one stable country.
 * test/producer/generators/login/countryBlocks.test.ts checks every /24 of every block.
 * `locale`: the take-home's field holds a US state code; elsewhere the country's locale tag.
 */
export interface CountryBlocks {
  readonly country: string;
  /** Share of users living there, relative. */
  readonly weight: number;
  readonly locale?: string;
  /** "a.b": the /16 a.b.0.0. */
  readonly blocks: readonly string[];
}

export const COUNTRY_BLOCKS: readonly CountryBlocks[] = [
  { country: 'US', weight: 40, blocks: ['73.0', '98.0', '71.0', '76.0'] },
  { country: 'GB', weight: 7, locale: 'en-GB', blocks: ['81.76', '86.0', '90.192'] },
  { country: 'DE', weight: 7, locale: 'de-DE', blocks: ['79.192', '84.56', '87.77', '91.0'] },
  { country: 'IN', weight: 6, locale: 'hi-IN', blocks: ['49.14', '59.88', '106.51', '117.96'] },
  { country: 'CA', weight: 6, locale: 'en-CA', blocks: ['70.24', '99.79', '142.1', '174.0'] },
  { country: 'FR', weight: 5, locale: 'fr-FR', blocks: ['78.112', '82.64', '86.64', '90.0'] },
  { country: 'BR', weight: 5, locale: 'pt-BR', blocks: ['177.0', '179.10', '187.1', '189.0'] },
  { country: 'JP', weight: 4, locale: 'ja-JP', blocks: ['60.32', '61.21', '114.16', '118.0'] },
  { country: 'AU', weight: 3, locale: 'en-AU', blocks: ['58.6', '101.103', '110.20', '120.16'] },
  { country: 'MX', weight: 3, locale: 'es-MX', blocks: ['187.128', '189.128', '201.96'] },
  { country: 'NL', weight: 3, locale: 'nl-NL', blocks: ['77.60', '80.56', '82.72', '83.80'] },
  { country: 'ES', weight: 3, locale: 'es-ES', blocks: ['79.108', '80.24', '83.32', '88.0'] },
  { country: 'IT', weight: 3, locale: 'it-IT', blocks: ['79.0', '80.16', '87.0', '93.32'] },
  { country: 'SE', weight: 2, locale: 'sv-SE', blocks: ['78.64', '83.182', '85.224', '90.136'] },
  { country: 'PL', weight: 2, locale: 'pl-PL', blocks: ['78.8', '79.96', '83.0', '89.64'] },
  { country: 'KR', weight: 2, locale: 'ko-KR', blocks: ['58.29', '59.0', '112.76', '121.53'] },
];
