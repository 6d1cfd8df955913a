import geoip from 'geoip-lite';
import { COUNTRY_BLOCKS } from '../../../../producer/src/generators/login';

describe('COUNTRY_BLOCKS', () => {
  it('lists /16 blocks that geoip-lite places wholly in their country, /24 by /24', () => {
    const misplaced: string[] = [];
    for (const { country, blocks } of COUNTRY_BLOCKS) {
      for (const block of blocks) {
        for (let c = 0; c < 256; c++) {
          for (const host of [1, 254]) {
            const ip = `${block}.${c}.${host}`;
            const found = geoip.lookup(ip)?.country;
            if (found !== country) misplaced.push(`${ip}: ${found ?? 'none'}, not ${country}`);
          }
        }
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('has one entry per country, each with a block, and a locale tag outside the US', () => {
    const countries = COUNTRY_BLOCKS.map((c) => c.country);
    expect(new Set(countries).size).toBe(countries.length);
    for (const c of COUNTRY_BLOCKS) {
      expect(c.blocks.length).toBeGreaterThan(0);
      expect({ country: c.country, locale: c.locale }).toEqual({ country: c.country, locale: c.country === 'US' ? undefined : expect.stringMatching(new RegExp(`^[a-z]{2}-${c.country}$`)) });
    }
  });
});
