import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isEditorNoise, watchPaths, type PathWatcher } from '../../src/dev/watch-paths.js';
import { testdir } from '../support/testdir.js';

let dir: ReturnType<typeof testdir>;
let watcher: PathWatcher | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
  dir?.cleanup();
});

/** Watches `targets` and collects the batches it reports. */
function collect(targets: string[], debounceMs = 30) {
  const batches: string[][] = [];
  let wake: (() => void) | undefined;
  watcher = watchPaths(targets, {
    debounceMs,
    onChange: (paths) => {
      batches.push([...paths].sort());
      wake?.();
    },
  });
  const next = (timeoutMs = 3000): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const taken = batches.shift();
      if (taken) return resolve(taken);
      const timer = setTimeout(() => reject(new Error('no change reported')), timeoutMs);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve(batches.shift()!);
      };
    });
  const quiet = async (ms = 200): Promise<string[][]> => {
    await new Promise((r) => setTimeout(r, ms));
    return batches.splice(0);
  };
  return { next, quiet };
}

describe('watchPaths', () => {
  it('keeps seeing a file after an atomic save (temporary file renamed over it)', async () => {
    dir = testdir({ 'templates/decks/a.hbs': 'one' });
    const file = dir.path('templates/decks/a.hbs');
    const { next } = collect([dir.path('templates')]);
    writeFileSync(dir.path('templates/decks/.a.hbs.tmp'), 'two');
    renameSync(dir.path('templates/decks/.a.hbs.tmp'), file);
    expect(await next()).toEqual([file]);
    // Node 20's recursive fs.watch goes deaf to the file after the rename above.
    writeFileSync(file, 'three');
    expect(await next()).toEqual([file]);
  });

  it('reports a burst of writes once, debounced', async () => {
    dir = testdir({ 'd/a.yaml': 'a', 'd/b.yaml': 'b' });
    const { next, quiet } = collect([dir.path('d')], 40);
    writeFileSync(dir.path('d/a.yaml'), '');
    writeFileSync(dir.path('d/a.yaml'), 'a2');
    writeFileSync(dir.path('d/b.yaml'), 'b2');
    expect(await next()).toEqual([dir.path('d/a.yaml'), dir.path('d/b.yaml')]);
    expect(await quiet()).toEqual([]);
  });

  it('follows new sub-folders and ignores editor swap files', async () => {
    dir = testdir({ 't/x.css': 'x' });
    const { next, quiet } = collect([dir.path('t')]);
    writeFileSync(dir.path('t/.x.css.swp'), 'swap');
    writeFileSync(dir.path('t/x.css~'), 'backup');
    expect(await quiet()).toEqual([]);
    mkdirSync(dir.path('t/partials'));
    expect(await next()).toEqual([dir.path('t/partials')]);
    writeFileSync(dir.path('t/partials/p.hbs'), 'p');
    expect(await next()).toEqual([dir.path('t/partials/p.hbs')]);
    expect(watcher!.folders).toContain(dir.path('t/partials'));
    rmSync(dir.path('t/partials'), { recursive: true });
    expect((await next()).some((p) => p.startsWith(dir.path('t/partials')))).toBe(true);
  });

  it('watches a single file without reporting its neighbours', async () => {
    dir = testdir({ 'c/en.yaml': 'en', 'c/zh.yaml': 'zh' });
    const { next, quiet } = collect([dir.path('c/en.yaml')]);
    writeFileSync(dir.path('c/zh.yaml'), 'zh2');
    expect(await quiet()).toEqual([]);
    writeFileSync(dir.path('c/en.yaml'), 'en2');
    expect(await next()).toEqual([dir.path('c/en.yaml')]);
  });

  it('stops reporting once closed', async () => {
    dir = testdir({ 'c/en.yaml': 'en' });
    const { quiet } = collect([dir.path('c')]);
    watcher!.close();
    writeFileSync(join(dir.dir, 'c/en.yaml'), 'changed');
    expect(await quiet()).toEqual([]);
  });
});

describe('isEditorNoise', () => {
  it.each([
    ['.en.yaml.swp', true],
    ['en.yaml~', true],
    ['4913', true],
    ['#en.yaml#', true],
    ['.#en.yaml', true],
    ['en.yaml.tmp', true],
    ['en.yaml', false],
    ['briefing.css', false],
    ['2024.yaml', false],
  ])('%s → %s', (name, noise) => {
    expect(isEditorNoise(name)).toBe(noise);
  });
});
