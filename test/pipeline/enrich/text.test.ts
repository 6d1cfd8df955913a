import { TEXT_MOJIBAKE_REPAIRED, repairMojibake, repairedTextFields } from '../../../pipeline/enrich';

/** What a UTF-8 string looks like after its bytes were read as Latin-1. */
const garble = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('repairMojibake', () => {
  it.each([
    ['BjÃ¶rk', 'Björk'],
    ['BeyoncÃ©', 'Beyoncé'],
    ['Sigur RÃ³s', 'Sigur Rós'],
    ['MotÃ¶rhead - Ace Of Spades', 'Motörhead - Ace Of Spades'],
  ])('repairs %s to %s', (garbled, fixed) => {
    expect(repairMojibake(garbled)).toBe(fixed);
  });

  it('repairs text whose garbled form holds C1 bytes (Latin-1, not Windows-1252)', () => {
    expect(garble('Ásgeir')).toBe('Ã\u0081sgeir');
    expect(repairMojibake(garble('Ásgeir'))).toBe('Ásgeir');
    expect(repairMojibake(garble('Song 🎵'))).toBe('Song 🎵');
  });

  it.each([
    ['plain ASCII', 'Kings Of Leon'],
    ['correct UTF-8', 'Björk'],
    ['a real Ã before an ASCII letter', 'SÃO PAULO'],
    ['a real Ã at the end', 'Ã'],
    ['Latin-1 text that is not UTF-8 (é alone)', 'Café Tacvba'],
    ['an emoji', 'Song 🎵'],
    ['a mix of mojibake and a character above Latin-1', 'BjÃ¶rk ★'],
    ['bytes that decode to a C1 control character', '\u00c2\u0080'],
  ])('leaves %s alone', (_what, text) => {
    expect(repairMojibake(text)).toBeUndefined();
  });

  it('repairs one round only: a twice-garbled name comes back once-garbled, never guessed further', () => {
    expect(repairMojibake(garble(garble('Björk')))).toBe('BjÃ¶rk');
  });
});

describe('repairedTextFields', () => {
  it('names the fields a document flagged text_mojibake_repaired keeps under original', () => {
    expect(repairedTextFields({ artist: 'Björk', original: { artist: 'BjÃ¶rk', song: 'JÃ³ga' }, quality: { dialect: 'x', normalized: [TEXT_MOJIBAKE_REPAIRED] } })).toEqual(['artist', 'song']);
  });

  it('names none without the flag, without originals, or for something that is not a document', () => {
    expect(repairedTextFields({ original: { artist: 'a' }, quality: { dialect: 'x', normalized: ['timestamp_ms_to_s'] } })).toEqual([]);
    expect(repairedTextFields({ quality: { dialect: 'x', normalized: [TEXT_MOJIBAKE_REPAIRED] } })).toEqual([]);
    expect(repairedTextFields(null)).toEqual([]);
  });
});
