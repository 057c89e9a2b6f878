import { mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BriefgenError } from '../../src/errors.js';
import { writeArtifact } from '../../src/output/write-file.js';
import { testdir } from '../support/testdir.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('writeArtifact', () => {
  it('replaces a file in one step and leaves no temporary file', async () => {
    const t = testdir({ 'out/deck.pdf': 'old' });
    cleanup = t.cleanup;
    await writeArtifact({ path: t.path('out/deck.pdf'), kind: 'pdf', bytes: new TextEncoder().encode('new') });
    expect(readFileSync(t.path('out/deck.pdf'), 'utf8')).toBe('new');
    expect(readdirSync(t.path('out'))).toEqual(['deck.pdf']);
  });

  it('on failure keeps the old file, removes its temporary file and says which file', async () => {
    const t = testdir({ 'out/keep.txt': 'previous' });
    cleanup = t.cleanup;
    // A directory where the file should go makes the final rename fail after the data was written.
    mkdirSync(t.path('out/deck.pdf'));
    writeFileSync(t.path('out/deck.pdf/inside'), 'x');
    const error = await writeArtifact({ path: t.path('out/deck.pdf'), kind: 'pdf', bytes: new Uint8Array(10) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BriefgenError);
    expect((error as BriefgenError).message).toContain('deck.pdf');
    expect(readdirSync(t.path('out')).sort()).toEqual(['deck.pdf', 'keep.txt']);
    expect(readFileSync(t.path('out/keep.txt'), 'utf8')).toBe('previous');
  });

  it('reports the real cause when the folder cannot be made, and leaves no temporary file anywhere', async () => {
    const t = testdir({ 'out/report': 'a file where a folder should be' });
    cleanup = t.cleanup;
    const error = await writeArtifact({ path: t.path('out/report/en/deck.pdf'), kind: 'pdf', bytes: new Uint8Array(10) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BriefgenError);
    expect((error as BriefgenError).message).toMatch(/could not write .*deck\.pdf: ENOTDIR/);
    expect(readdirSync(t.path('out'))).toEqual(['report']);
  });

  it('names its temporary file after the writing process, so a later run can tell a stale one', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    // A directory in the way makes the rename fail after the temporary file was written and named.
    mkdirSync(t.path('deck.pdf'));
    writeFileSync(t.path('deck.pdf/inside'), 'x');
    const seen: string[] = [];
    const watcher = watch(t.dir, (_event, name) => name && seen.push(String(name)));
    await writeArtifact({ path: t.path('deck.pdf'), kind: 'pdf', bytes: new Uint8Array(10) }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    watcher.close();
    expect(seen.some((name) => new RegExp(`^\\.deck\\.pdf\\.${process.pid}-[0-9a-f]{12}\\.tmp$`).test(name))).toBe(true);
  });
});

