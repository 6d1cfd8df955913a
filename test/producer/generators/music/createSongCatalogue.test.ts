import { createSongCatalogue } from '../../../../producer/src/generators/music/createSongCatalogue';

describe('createSongCatalogue', () => {
  const catalogue = createSongCatalogue({ seed: 11, songs: 5000, artists: 800 });

  it('is the same for the same seed', () => {
    const again = createSongCatalogue({ seed: 11, songs: 5000, artists: 800 });
    expect(again.artist).toEqual(catalogue.artist);
    expect(again.title).toEqual(catalogue.title);
    expect(Array.from(again.duration)).toEqual(Array.from(catalogue.duration));
  });

  it('has the requested songs, each artist with at least one, and realistic names', () => {
    expect(catalogue.size).toBe(5000);
    expect(new Set(catalogue.artist).size).toBe(800);
    const blank = catalogue.title.concat(catalogue.artist).filter((name) => name.trim() !== name || name.length === 0);
    expect(blank).toEqual([]);
  });

  it('gives float durations between 150 and 400 seconds', () => {
    expect(Math.min(...catalogue.duration)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...catalogue.duration)).toBeLessThanOrEqual(400);
    expect(Array.from(catalogue.duration).some((d) => !Number.isInteger(d))).toBe(true);
  });

  it('makes popularity Zipf-like: the top 1% of songs get far more than 1% of the weight', () => {
    const total = catalogue.cumulative[catalogue.size - 1]!;
    expect(catalogue.cumulative[49]! / total).toBeGreaterThan(0.15);
  });

  it('invents extra artist names when asked for more than faker knows', () => {
    const big = createSongCatalogue({ seed: 2, songs: 1500, artists: 1200 });
    expect(new Set(big.artist).size).toBe(1200);
  });
});
