import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { envBool, envInt, envList } from '../../pipeline/config';
import { configRows, configTable, defaultOf, settingsSources, sharedSettings, withConfigTable } from '../../scripts/configTable';

const readmePath = path.join(__dirname, '..', '..', 'README.md');

describe("README.md's configuration table", () => {
  it('is the one the settings schemas give (npm run docs:config rewrites it)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toBe(withConfigTable(readme, configTable(settingsSources, configRows, sharedSettings)));
  });

  it('has a row for ADMIN_WAIT_SECONDS with the schema default', () => {
    expect(readFileSync(readmePath, 'utf8')).toMatch(/^\| `ADMIN_WAIT_SECONDS` \| `90` \| admin \| /m);
  });
});

describe('configTable', () => {
  const processor = { user: 'processor', shape: { A: envInt(1), SHARED: z.string().default('x'), OPT: z.string().optional() } };
  const indexer = { user: 'indexer', shape: { SHARED: z.string().default('x'), B: envBool(true) } };

  it('writes names, defaults and readers from the schemas and the notes from the rows', () => {
    const table = configTable([processor, indexer], [
      { settings: ['SHARED'], note: 'both' },
      { settings: ['A', 'OPT'], note: 'a / opt' },
      { settings: ['B'], note: '' },
    ]);
    expect(table.split('\n')).toEqual([
      '| setting | default | read by | notes |',
      '|---|---|---|---|',
      '| `SHARED` | `x` | all | both |',
      '| `A` / `OPT` | `1` / — | processor | a / opt |',
      '| `B` | `true` | indexer |  |',
      '',
    ]);
  });

  it('names every setting that is undocumented, unknown, listed twice, unread, ambiguous or grouped across readers', () => {
    const other = { user: 'indexer', shape: { SHARED: z.string().default('y'), B: envBool(true) } };
    const rows = [
      { settings: ['SHARED', 'A'], note: '' },
      { settings: ['GONE', 'A'], note: '' },
    ];
    expect(() => configTable([processor, other], rows, ['UNREAD'])).toThrow(
      [
        'configuration table:',
        "  SHARED: default `x` in one schema, `y` in indexer's",
        '  UNREAD: in pipeline/config but read by no service',
        '  OPT: read by processor, not in the table',
        '  B: read by indexer, not in the table',
        '  A: in the table twice',
        '  GONE: in the table, read by no service',
        '  SHARED / A: one row, but A is read by other services',
        '  GONE / A: one row, but A is read by other services',
      ].join('\n'),
    );
  });
});

describe('defaultOf', () => {
  it('reads the default as the environment would give it, before any transform', () => {
    expect(defaultOf(envList(['a', 'b']))).toBe('a,b');
    expect(defaultOf(envInt(7))).toBe(7);
    expect(defaultOf(envBool(false))).toBe(false);
    expect(defaultOf(z.string().default('[]').transform((s) => JSON.parse(s) as unknown).pipe(z.array(z.string())))).toBe('[]');
    expect(defaultOf(z.string().optional())).toBeUndefined();
  });
});

describe('withConfigTable', () => {
  it('replaces only what is between the markers and refuses a README without them', () => {
    const start = '<!-- config-table: written by `npm run docs:config` from the settings schemas -->\n';
    expect(withConfigTable(`intro\n${start}old\n<!-- /config-table -->\nrest`, 'new\n')).toBe(`intro\n${start}new\n<!-- /config-table -->\nrest`);
    expect(() => withConfigTable('no markers', 'new\n')).toThrow(/README.md lacks the markers/);
  });
});
