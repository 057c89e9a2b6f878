import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { deckFilesIntact, removeStaleSlides, writeDeckFiles } from '../../src/output/deck-writer.js';
import { openManifestJournal } from '../../src/output/manifest-journal.js';
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

describe('writeDeckFiles under a manifest journal', () => {
  it('takes the deck out of the manifest before the first file changes and lists it again after the last', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const out = t.path('out');
    const deck = { key: 'r/en/a', report: 'r', language: 'en', audience: 'a', slides: 1, warnings: [] };
    const journal = await openManifestJournal(out, {});
    type Listed = { decks: Array<{ key: string; artifacts: Array<{ path: string; sha256: string }> }> };
    const onDisk = (): Listed => (existsSync(t.path('out/manifest.json')) ? (JSON.parse(readFileSync(t.path('out/manifest.json'), 'utf8')) as Listed) : { decks: [] });
    /** What a reader of the manifest would find, each time it changes: the decks listed, and whether every listed file is true. */
    const seen: string[] = [];
    const look = (when: string) => {
      const listed = onDisk();
      const allTrue = listed.decks.every((d) => d.artifacts.every((a) => createHash('sha256').update(readFileSync(t.path(`out/${a.path}`))).digest('hex') === a.sha256));
      seen.push(`${when}: [${listed.decks.map((d) => d.key).join(',')}] ${allTrue ? 'true' : 'LIES'}`);
    };
    const watched = {
      listed: journal.listed,
      forget: async (key: string) => {
        await journal.forget(key);
        look('forget');
      },
      record: async (entry: Parameters<typeof journal.record>[0]) => {
        await journal.record(entry);
        look('record');
      },
    };
    const files = (version: string) => [
      { path: t.path('out/r/en/a/r-en-a.pdf'), kind: 'pdf' as const, bytes: bytes(`pdf ${version}`) },
      { path: t.path('out/r/en/a/slide-01.png'), kind: 'png' as const, bytes: bytes(`png ${version}`) },
    ];
    const write = (version: string) => writeDeckFiles(out, t.path('out/r/en/a'), files(version), { slideCount: 1, slides: true, listing: { journal: watched, deck } });
    await write('1');
    // The same bytes again: the deck stays listed throughout.
    await write('1');
    await write('2');
    expect(seen).toEqual(['forget: [] true', 'record: [r/en/a] true', 'record: [r/en/a] true', 'forget: [] true', 'record: [r/en/a] true']);
  });
});
