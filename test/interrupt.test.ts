import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testdir } from './support/testdir.js';

/** Chromium processes whose command line mentions this profile prefix. */
function briefgenChromiumPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes('chrom') && cmd.includes('briefgen-chrome-');
      } catch {
        return false;
      }
    })
    .map(Number);
}

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
    const before = new Set(briefgenChromiumPids());
    const child = spawn(process.execPath, ['bin/briefgen.js', '--audience', 'all', '--out', t.path('out')], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    const leftover = briefgenChromiumPids().filter((pid) => !before.has(pid));
    expect(leftover).toEqual([]);
    // Every file present is complete: no temporary files, and every PDF ends with %%EOF.
    const files = listFiles(t.path('out'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const pdf of files.filter((f) => f.endsWith('.pdf'))) {
      expect(readFileSync(pdf).subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
    }
  }, 120_000);
});
