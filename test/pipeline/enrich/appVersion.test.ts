import { appVersionInfo, parseVersion } from '../../../pipeline/enrich';

describe('parseVersion', () => {
  it('reads major, minor and patch, with patch defaulting to 0', () => {
    expect(parseVersion('2.3.1')).toEqual([2, 3, 1]);
    expect(parseVersion('2.3')).toEqual([2, 3, 0]);
  });

  it('returns null for something that is not a version', () => {
    expect(parseVersion('latest')).toBeNull();
    expect(parseVersion('')).toBeNull();
  });
});

describe('appVersionInfo', () => {
  it('flags a version older than the current one as outdated', () => {
    expect(appVersionInfo('2.2.1', '2.3.0')).toEqual({ major: 2, minor: 2, patch: 1, outdated: true });
    expect(appVersionInfo('1.9.9', '2.0.0')?.outdated).toBe(true);
    expect(appVersionInfo('2.3.0', '2.3.1')?.outdated).toBe(true);
  });

  it('does not flag the current version or a newer one', () => {
    expect(appVersionInfo('2.3.0', '2.3.0')?.outdated).toBe(false);
    expect(appVersionInfo('2.3', '2.3.0')?.outdated).toBe(false);
    expect(appVersionInfo('2.10.0', '2.3.0')?.outdated).toBe(false);
    expect(appVersionInfo('3.0.0', '2.3.0')?.outdated).toBe(false);
  });

  it('compares numerically, not as text', () => {
    expect(appVersionInfo('2.9.0', '2.10.0')?.outdated).toBe(true);
  });

  it('never flags when the current version is unreadable, and gives null for an unreadable version', () => {
    expect(appVersionInfo('2.3.0', 'whatever')?.outdated).toBe(false);
    expect(appVersionInfo('beta', '2.3.0')).toBeNull();
  });
});
