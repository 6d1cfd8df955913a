import { eventually, runCommand, signalProcess, startProcess } from '../../harness';

const node = process.execPath;

describe('startProcess', () => {
  it('hands over complete lines, keeps the whole stdout on request and the tail of all output', async () => {
    const lines: string[] = [];
    const p = startProcess(node, ['-e', "process.stdout.write('a\\nb'); setTimeout(() => { process.stdout.write('c\\n'); console.error('oops'); }, 50)"], {
      keepStdout: true,
      onLine: (line, stream) => lines.push(`${stream}:${line}`),
    });
    expect(await p.exited).toBe(0);
    expect(lines).toEqual(['stdout:a', 'stdout:bc', 'stderr:oops']);
    expect(p.stdout()).toBe('a\nbc\n');
    expect(p.tail(1)).toBe('oops');
    expect(p.pid).toBeGreaterThan(0);
  });

  it('keeps only the last of a long output', async () => {
    const p = startProcess(node, ['-e', "for (let i = 0; i < 100; i++) console.log(String(i).padStart(9, '-'))"], { outputLimit: 200 });
    await p.exited;
    // Cut to half the limit whenever it is passed: the end is always there, the start is not.
    expect(p.output().length).toBeLessThanOrEqual(200);
    expect(p.output().endsWith('-------99\n')).toBe(true);
    expect(p.output()).not.toContain('--------0\n');
  });

  it('resolves exited with null, not a hang, for a command that cannot start', async () => {
    const p = startProcess('/nonexistent/command', []);
    expect(await p.exited).toBeNull();
    expect(p.output()).toContain('ENOENT');
  });
});

describe('signalProcess', () => {
  it('resolves with the exit code of a process that handles the signal', async () => {
    const p = startProcess(node, ['-e', "process.on('SIGTERM', () => process.exit(3)); console.log('ready'); setInterval(() => {}, 1000)"]);
    await eventually(async () => p.output(), (o) => o.includes('ready'), 10_000, 'the child to install its handler');
    expect((await signalProcess(p, 'SIGTERM')).code).toBe(3);
  });

  it('kills a process that ignores the signal once killAfterMs has passed', async () => {
    const p = startProcess(node, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"]);
    await eventually(async () => p.output(), (o) => o.includes('ready'), 10_000, 'the child to install its handler');
    const r = await signalProcess(p, 'SIGTERM', 300);
    expect(r.code).toBeNull();
    expect(p.child.signalCode).toBe('SIGKILL');
    expect(r.ms).toBeGreaterThanOrEqual(250);
  });

  it('does not signal a process that is already gone', async () => {
    const p = startProcess(node, ['-e', 'process.exit(4)']);
    await p.exited;
    const kill = jest.spyOn(p.child, 'kill');
    expect((await signalProcess(p, 'SIGKILL')).code).toBe(4);
    expect(kill).not.toHaveBeenCalled();
  });
});

describe('runCommand', () => {
  it('resolves with the whole output of a command that exits 0', async () => {
    await expect(runCommand(node, ['-e', "console.log('out'); console.error('err')"])).resolves.toMatch(/out\n[\s\S]*err\n/);
  });

  it('rejects with the exit code and the output of one that does not', async () => {
    await expect(runCommand(node, ['-e', "console.error('broken'); process.exit(2)"])).rejects.toThrow(/exited with 2:\nbroken/);
  });

  it('kills a command that outlives its timeout', async () => {
    await expect(runCommand(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 200 })).rejects.toThrow(/exited with SIGKILL/);
  });
});

describe('eventually', () => {
  it('returns the first value that satisfies the condition', async () => {
    let n = 0;
    await expect(eventually(async () => ++n, (v) => v >= 3, 5_000, 'three', 1)).resolves.toBe(3);
  });

  it('gives up after the timeout, naming what it waited for and the last value', async () => {
    await expect(eventually(async () => 1, (v) => v > 1, 50, 'more than one', 10)).rejects.toThrow(/waiting for more than one; last value: 1$/);
  });
});
