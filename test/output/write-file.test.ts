import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
});
