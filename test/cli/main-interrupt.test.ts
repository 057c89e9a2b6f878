import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testdir } from '../support/testdir.js';

/** Parent pid of a process, from /proc (undefined once it is gone). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every live process descending from `root` (the CLI's browser and its helpers). */
function descendantsOf(root: number): number[] {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  return pids.filter((pid) => {
    for (let p = parentOf(pid), hops = 0; p !== undefined && p > 1 && hops < 20; p = parentOf(p), hops += 1) {
      if (p === root) return true;
    }
    return false;
  });
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('Ctrl-C', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('stops with exit 130, closes the browser and leaves no partial file', async () => {
    const child = spawn(process.execPath, ['bin/briefgen.js', '--audience', 'all', '--out', t.path('out'), '--no-cache'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Interrupt once the first deck is written, i.e. with the browser busy on the others.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (/built /.test(stderr)) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    const browserProcesses = descendantsOf(child.pid!);
    expect(browserProcesses.length, 'the CLI should have a browser running').toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    // Give the kernel a moment to reap the processes the CLI closed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(browserProcesses.filter(alive)).toEqual([]);
    // Every file present is complete: no temporary files, and every PDF ends with %%EOF.
    const files = listFiles(t.path('out'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const pdf of files.filter((f) => f.endsWith('.pdf'))) {
      expect(readFileSync(pdf).subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
    }
  }, 120_000);
});

const t2 = testdir({});
afterAll(() => t2.cleanup());

describe('Ctrl-C while briefgen waits for standard input', () => {
  it('stops with exit 130 at the first Ctrl-C, though no data ever came', async () => {
    // stdin is a pipe nobody writes to, as a terminal where nothing is typed.
    const child = spawn(process.execPath, ['bin/briefgen.js', '--data', '-', '-f', 'md', '--out', t2.path('out')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DEBUG: 'briefgen:build' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Ctrl-C before briefgen listens for it ends node at once: wait for its trace that it reads the data.
    for (let i = 0; i < 600 && !/reading the data/.test(stderr); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    // One Ctrl-C only: if that did not stop it within the test's time, the test fails and this ends it.
    const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(forced);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    child.stdin.destroy();
  }, 30_000);
});

describe('kill -9', () => {
  it('leaves a browser profile, a lock and perhaps a temporary file, and the next run clears exactly those', async () => {
    const out = t2.path('out-killed');
    // A temp folder of its own: a build of another test file, running meanwhile, would rightly
    // clear the killed run's profile from a shared one before this test looks for it.
    const temp = t2.path('tmp');
    mkdirSync(temp, { recursive: true });
    const env = { ...process.env, TMPDIR: temp };
    const child = spawn(process.execPath, ['bin/briefgen.js', '--audience', 'all', '--out', out, '--no-cache'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, CI: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (/built /.test(stderr)) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    const browser = descendantsOf(child.pid!);
    const profile = readdirSync(temp).find((name) => name.startsWith(`briefgen-chrome-${child.pid}-`));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(profile, 'the run names its profile after its pid').toBeDefined();
    // The browser dies with its pipe; wait for it, as the next run would find it.
    for (let i = 0; i < 100 && browser.some(alive); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(temp, profile!))).toBe(true);
    expect(existsSync(join(out, '.briefgen.lock'))).toBe(true);
    // What a kill between write and rename leaves, made by hand so the test need not win that race.
    writeFileSync(join(out, `.manifest.json.${child.pid}-0123456789ab.tmp`), '');

    const next = spawn(process.execPath, ['bin/briefgen.js', '--audience', 'exec', '--lang', 'en', '--out', out, '--no-cache'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let nextErr = '';
    next.stderr.on('data', (chunk: Buffer) => (nextErr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => next.on('exit', resolve)), nextErr).toBe(0);
    expect(existsSync(join(temp, profile!))).toBe(false);
    expect(listFiles(out).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { decks: Array<{ artifacts: Array<{ path: string; sha256: string }> }> };
    for (const artifact of manifest.decks.flatMap((d) => d.artifacts)) {
      expect(createHash('sha256').update(readFileSync(join(out, artifact.path))).digest('hex'), artifact.path).toBe(artifact.sha256);
    }
  }, 120_000);
});
