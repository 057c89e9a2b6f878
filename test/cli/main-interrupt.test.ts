import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
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
