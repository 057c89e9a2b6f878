import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, ExitCode } from '../../src/errors.js';
import { checkOutputFolder, openOutputSession } from '../../src/output/output-session.js';
import { lockFileOf } from '../../src/output/output-lock.js';
import { testdir } from '../support/testdir.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const deadPid = (): number => Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());

describe('checkOutputFolder', () => {
  it.each([
    ['--out naming a file', 'file', [], /^the output folder .*\/file is a file$/],
    ['--out through a file', 'file/out', [], /^the output folder .*\/file\/out cannot be made: .*\/file is a file$/],
    ['a file where a report folder goes', 'out', ['out/report-file/en/exec'], /out\/report-file is a file where a deck's folder \(report-file\/en\/exec\) must go$/],
  ])('refuses %s with an exit-2 error', async (_name, out, decks, message) => {
    const t = testdir({ file: 'a file', 'out/report-file': 'a file' });
    cleanup = t.cleanup;
    const error = await checkOutputFolder(t.path(out), decks.map((d) => t.path(d))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.output, exitCode: ExitCode.badInput });
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a path longer than the file system allows, before anything is written', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const error = await checkOutputFolder(t.path('out'), [t.path(`out/${'r'.repeat(300)}/en/exec`)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.output, message: expect.stringMatching(/is 300 bytes, more than a file system allows \(255\)/) });
    const deep = Array.from({ length: 40 }, () => 'd'.repeat(120)).join('/');
    await expect(checkOutputFolder(t.path('out'), [t.path(`out/${deep}`)])).rejects.toMatchObject({ message: expect.stringMatching(/more than a file system allows \(4095\)/) });
  });

  it('makes a missing output folder and accepts folders reached through a symlink', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    mkdirSync(t.path('real'));
    spawnSync('ln', ['-s', t.path('real'), t.path('link')]);
    await checkOutputFolder(t.path('link/out/a'), [t.path('link/out/a/r/en/x')]);
    expect(existsSync(t.path('real/out/a'))).toBe(true);
  });
});

describe('openOutputSession', () => {
  it('locks the folder, and removes the temporary files of killed runs but not of live ones', async () => {
    const dead = deadPid();
    const t = testdir({
      [`out/.manifest.json.${dead}-0123456789ab.tmp`]: '',
      [`out/r/en/a/.slide-01.png.${dead}-0123456789ab.tmp`]: '',
      [`out/r/en/a/.slide-02.png.${process.pid}-0123456789ab.tmp`]: 'mine, being written',
      ['out/r/en/a/.old-style.0123456789ab.tmp']: 'no pid: whose?',
      ['out/r/en/a/slide-01.png']: 'kept',
    });
    cleanup = t.cleanup;
    const session = await openOutputSession(t.path('out'), { deckDirs: [t.path('out/r/en/a')] });
    expect(existsSync(lockFileOf(t.path('out')))).toBe(true);
    expect(readdirSync(t.path('out'), { recursive: true }).map(String).filter((f) => f.endsWith('.tmp')).sort()).toEqual([`r/en/a/.old-style.0123456789ab.tmp`, `r/en/a/.slide-02.png.${process.pid}-0123456789ab.tmp`]);
    await session.close();
    expect(existsSync(lockFileOf(t.path('out')))).toBe(false);
  });

  it('fails before locking anything when the folder is unusable', async () => {
    const t = testdir({ out: 'a file' });
    cleanup = t.cleanup;
    await expect(openOutputSession(t.path('out'))).rejects.toMatchObject({ code: ErrorCode.output });
  });
});
