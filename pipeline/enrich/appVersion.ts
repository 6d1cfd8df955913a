export interface AppVersionInfo {
  major: number;
  minor: number;
  patch: number;
  outdated: boolean;
}

const VERSION = /^(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?/;

export function parseVersion(v: string): [number, number, number] | null {
  const m = VERSION.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** "outdated" means older than the version the operator declares current. */
export function appVersionInfo(version: string, current: string): AppVersionInfo | null {
  const v = parseVersion(version);
  const c = parseVersion(current);
  if (!v) return null;
  const [major, minor, patch] = v;
  const outdated = c ? compare(v, c) < 0 : false;
  return { major, minor, patch, outdated };
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
