import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The checkout's root, found upwards from here: this module runs from source under jest
 * (harness/) and compiled from dist/harness/ by the bench and the fault suite.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO_ROOT = findRoot(__dirname);
