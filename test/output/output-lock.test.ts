import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, ExitCode } from '../../src/errors.js';
import { lockFileOf, lockOutputFolder } from '../../src/output/output-lock.js';
import { testdir } from '../support/testdir.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** The pid of a process that has exited (it ran `true`). */
const deadPid = (): number => Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());

describe('lockOutputFolder', () => {
  it('lets one run at a time into a folder: the second waits, told once, until the first releases', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const first = await lockOutputFolder(t.dir);
    expect(JSON.parse(readFileSync(lockFileOf(t.dir), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    const waits: number[] = [];
    let secondHas = false;
    const second = lockOutputFolder(t.dir, { pollMs: 20, onWait: (holder) => waits.push(holder.pid) }).then((lock) => {
      secondHas = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(secondHas).toBe(false);
    expect(waits).toEqual([process.pid]);
    await first.release();
    const lock = await second;
    expect(secondHas).toBe(true);
    await lock.release();
    expect(existsSync(lockFileOf(t.dir))).toBe(false);
  });

  it('with wait: false fails at once with a clear exit-2 error naming the holder', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const first = await lockOutputFolder(t.dir);
    const error = await lockOutputFolder(t.dir, { wait: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.output, exitCode: ExitCode.badInput, message: expect.stringContaining(`another briefgen run (process ${process.pid}`) });
    await first.release();
  });

  it('takes over a lock whose process is gone (a run killed with kill -9)', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    writeFileSync(lockFileOf(t.dir), JSON.stringify({ pid: deadPid(), host: hostname(), since: '2024-01-01T00:00:00Z' }));
    const lock = await lockOutputFolder(t.dir, { wait: false });
    expect(JSON.parse(readFileSync(lockFileOf(t.dir), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock whose pid now names another process (reused after a crash), and one that is garbage', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    writeFileSync(lockFileOf(t.dir), JSON.stringify({ pid: process.pid, host: hostname(), start: '1', since: '2024-01-01T00:00:00Z' }));
    const reused = await lockOutputFolder(t.dir, { wait: false });
    await reused.release();
    writeFileSync(lockFileOf(t.dir), '\0\0\0');
    const garbage = await lockOutputFolder(t.dir, { wait: false });
    await garbage.release();
  });

  it('stops waiting when the run is interrupted', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const first = await lockOutputFolder(t.dir);
    const controller = new AbortController();
    const waiting = lockOutputFolder(t.dir, { signal: controller.signal, pollMs: 20 });
    setTimeout(() => controller.abort(new DOMException('interrupted', 'AbortError')), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await first.release();
  });

  it('never releases a lock that is not its own', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const lock = await lockOutputFolder(t.dir);
    const someoneElse = JSON.stringify({ pid: 1, host: hostname(), since: 'x' });
    writeFileSync(lockFileOf(t.dir), someoneElse);
    await lock.release();
    expect(readFileSync(lockFileOf(t.dir), 'utf8')).toBe(someoneElse);
  });

  it('gives a stale lock to exactly one of many processes racing for it', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    writeFileSync(lockFileOf(t.dir), JSON.stringify({ pid: deadPid(), host: hostname(), since: 'x' }));
    const moduleUrl = new URL('../../dist/output/output-lock.js', import.meta.url).href;
    // Each holds the lock for 100 ms and logs when it had it; no two spans may overlap.
    const script = `
      const { lockOutputFolder } = await import(${JSON.stringify(moduleUrl)});
      const lock = await lockOutputFolder(${JSON.stringify(t.dir)}, { pollMs: 10 });
      const from = Date.now();
      await new Promise((r) => setTimeout(r, 100));
      const to = Date.now();
      await lock.release();
      console.log(JSON.stringify([from, to]));`;
    const spans = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<[number, number]>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as [number, number]) : reject(new Error(`child exited ${code}`))));
        }),
      ),
    );
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]![0], `span ${i} starts before span ${i - 1} ended`).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    expect(existsSync(lockFileOf(t.dir))).toBe(false);
  });
});
