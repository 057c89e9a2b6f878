import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BriefgenError } from '../../src/errors.js';
import { removeStaleSlides, writeArtifact } from '../../src/output/write-artifacts.js';
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
});

describe('removeStaleSlides', () => {
  it('removes only slide PNGs not written by this build', async () => {
    const t = testdir({ 'd/slide-01.png': '1', 'd/slide-02.png': '2', 'd/slide-03.png': '3', 'd/notes.txt': 'n' });
    cleanup = t.cleanup;
    await removeStaleSlides(t.path('d'), new Set([t.path('d/slide-01.png'), t.path('d/slide-02.png')]));
    expect(readdirSync(t.path('d')).sort()).toEqual(['notes.txt', 'slide-01.png', 'slide-02.png']);
  });
});
