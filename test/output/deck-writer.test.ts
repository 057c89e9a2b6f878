import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { deckFilesIntact, removeStaleSlides, writeDeckFiles } from '../../src/output/deck-writer.js';
import { testdir } from '../support/testdir.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const bytes = (text: string) => new TextEncoder().encode(text);

describe('removeStaleSlides', () => {
  it('removes only slide PNGs not written by this build', async () => {
    const t = testdir({ 'd/slide-01.png': '1', 'd/slide-02.png': '2', 'd/slide-03.png': '3', 'd/notes.txt': 'n' });
    cleanup = t.cleanup;
    await removeStaleSlides(t.path('d'), new Set([t.path('d/slide-01.png'), t.path('d/slide-02.png')]));
    expect(readdirSync(t.path('d')).sort()).toEqual(['notes.txt', 'slide-01.png', 'slide-02.png']);
  });
});

describe('writeDeckFiles', () => {
  it('writes the files, lists them as the manifest does, leaves equal files alone and drops stale slides', async () => {
    const t = testdir({ 'out/r/en/a/slide-03.png': 'stale', 'out/r/en/a/r-en-a.md': 'same' });
    cleanup = t.cleanup;
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(t.path('out/r/en/a/r-en-a.md'), old, old);
    const records = await writeDeckFiles(
      t.path('out'),
      t.path('out/r/en/a'),
      [
        { path: t.path('out/r/en/a/r-en-a.pdf'), kind: 'pdf', bytes: bytes('pdf') },
        { path: t.path('out/r/en/a/slide-01.png'), kind: 'png', bytes: bytes('one') },
        { path: t.path('out/r/en/a/r-en-a.md'), kind: 'md', bytes: bytes('same') },
      ],
      { slideCount: 2, slides: true },
    );
    expect(records.map((r) => [r.path, r.kind, r.size, r.pages])).toEqual([
      ['r/en/a/r-en-a.pdf', 'pdf', 3, 2],
      ['r/en/a/slide-01.png', 'png', 3, 1],
      ['r/en/a/r-en-a.md', 'md', 4, 2],
    ]);
    expect(readdirSync(t.path('out/r/en/a')).sort()).toEqual(['r-en-a.md', 'r-en-a.pdf', 'slide-01.png']);
    // Equal bytes: not rewritten, so its time stays.
    expect(statSync(t.path('out/r/en/a/r-en-a.md')).mtime.getTime()).toBe(old.getTime());
    expect(readFileSync(t.path('out/r/en/a/r-en-a.pdf'), 'utf8')).toBe('pdf');
    expect(await deckFilesIntact(t.path('out'), records)).toBe(true);
    expect(await deckFilesIntact(t.path('out'), [{ ...records[0]!, sha256: '0'.repeat(64) }])).toBe(false);
    expect(await deckFilesIntact(t.path('out'), [{ ...records[0]!, path: 'r/en/a/gone.pdf' }])).toBe(false);
  });
});
