import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCacheFolder, openBuildCache, type ExportShape } from '../../src/cache/build-cache.js';
import { testdir } from '../support/testdir.js';

const bytes = (text: string) => new TextEncoder().encode(text);
/** A file that looks like a whole PDF (header and end-of-file marker) around `text`. */
const pdf = (text: string) => bytes(`%PDF-1.7\n${text}\n%%EOF\n`);
/** A real PNG of this size; `seed` makes its bytes differ. */
const png = (width = 4, height = 3, seed = 0) => {
  const image = new PNG({ width, height });
  image.data.fill(seed);
  return new Uint8Array(PNG.sync.write(image));
};
const key = 'ab'.padEnd(64, '0');
const other = 'cd'.padEnd(64, '0');
const shape = (slideCount: number, formats: { pdf?: boolean; png?: boolean } = {}): ExportShape => ({ slideCount, width: 4, height: 3, pdf: formats.pdf ?? true, png: formats.png ?? true });

/** Every file under `dir`, relative. */
function files(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('openBuildCache', () => {
  let t = testdir({});
  afterEach(() => {
    t.cleanup();
    t = testdir({});
  });
  const entryFile = (k: string) => t.path(join('cache', files(t.path('cache')).find((f) => f.includes('/entries/') && f.includes(k))!));

  it('gives back what was stored: PDF, PNGs in order, and the other fields', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pdf: pdf('one'), pngs: [png(4, 3, 1), png(4, 3, 2)], blockedUrls: ['https://example.com/x.png'] } as never, shape(2));
    const found = await cache.lookup<{ pdf?: Uint8Array; pngs: Uint8Array[]; blockedUrls: string[] }>(key, shape(2));
    expect(found?.pdf && Buffer.from(found.pdf).toString()).toBe('%PDF-1.7\none\n%%EOF\n');
    expect(found?.pngs.map((p) => Buffer.from(p).equals(Buffer.from(png(4, 3, 1))) || Buffer.from(p).equals(Buffer.from(png(4, 3, 2))))).toEqual([true, true]);
    expect(Buffer.from(found!.pngs[1]!).equals(Buffer.from(png(4, 3, 2)))).toBe(true);
    expect(found?.blockedUrls).toEqual(['https://example.com/x.png']);
  });

  it('keeps the PPTX as a blob, checked like the others', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [], pptx: bytes('PK\x03\x04 pptx bytes'), pptxIssues: [] } as never);
    const found = await cache.lookup<{ pngs: Uint8Array[]; pptx?: Uint8Array; pptxIssues: unknown[] }>(key);
    expect(found?.pptx && Buffer.from(found.pptx).toString()).toBe('PK\x03\x04 pptx bytes');
    expect(found?.pptxIssues).toEqual([]);
    const entry = files(t.path('cache')).find((f) => f.includes('/entries/'))!;
    expect(readFileSync(t.path(join('cache', entry)), 'utf8')).not.toContain('PK pptx');
    const blob = files(t.path('cache')).find((f) => f.includes('/blobs/'))!;
    writeFileSync(t.path(join('cache', blob)), 'PK evil bytes');
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('misses an entry whose PowerPoint file is not a zip, or that lacks the one asked for', async () => {
    const cache = openBuildCache(t.path('cache'));
    const shape = { slideCount: 0, width: 4, height: 3, pdf: false, png: false, pptx: true };
    await cache.store(key, { pngs: [], pptx: bytes('not a zip') }, shape);
    expect(await cache.lookup(key, shape)).toBeUndefined();
    await cache.store(key, { pngs: [] }, { ...shape, pptx: false });
    expect(await cache.lookup(key, shape)).toBeUndefined();
    expect(await cache.lookup(key, { ...shape, pptx: false })).toBeDefined();
  });

  it('misses on an unknown key', async () => {
    expect(await openBuildCache(t.path('cache')).lookup(key)).toBeUndefined();
  });

  it('stores equal files once (content-addressed)', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [png(), png()] });
    await cache.store(other, { pngs: [png()] });
    expect(files(t.path('cache')).filter((f) => f.includes('/blobs/'))).toHaveLength(1);
  });

  it('misses on an entry that lists fewer PNGs than the deck has slides, or no PDF where one is asked for', async () => {
    const cache = openBuildCache(t.path('cache'));
    // An entry made for another deck shape (say, a slide count changed by hand in the entry) never ships.
    await cache.store(key, { pdf: pdf('x'), pngs: [png()] }, shape(1));
    expect(await cache.lookup(key, shape(1))).toBeDefined();
    expect(await cache.lookup(key, shape(118))).toBeUndefined();
    expect(await cache.lookup(key, shape(1, { pdf: true, png: false }))).toBeUndefined();
    await cache.store(other, { pngs: [png()] });
    expect(await cache.lookup(other, shape(1))).toBeUndefined();
    expect(await cache.lookup(other, shape(1, { pdf: false }))).toBeDefined();
  });

  it('misses on entries swapped between two decks: each would ship the other deck', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pdf: pdf('deck A'), pngs: [png(4, 3, 1)] }, shape(1));
    await cache.store(other, { pdf: pdf('deck B'), pngs: [png(4, 3, 2)] }, shape(1));
    const [a, b] = [entryFile(key), entryFile(other)];
    const textA = readFileSync(a, 'utf8');
    writeFileSync(a, readFileSync(b, 'utf8'));
    writeFileSync(b, textA);
    expect(await cache.lookup(key, shape(1))).toBeUndefined();
    expect(await cache.lookup(other, shape(1))).toBeUndefined();
    // Even with the key inside edited to match, the seal gives the swap away.
    const swapped = JSON.parse(readFileSync(a, 'utf8')) as { key: string };
    writeFileSync(a, JSON.stringify({ ...swapped, key }));
    expect(await cache.lookup(key, shape(1))).toBeUndefined();
  });

  it('misses on an entry edited by hand: its seal no longer matches', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pdf: pdf('x'), pngs: [png(4, 3, 1), png(4, 3, 2)] }, shape(2));
    const file = entryFile(key);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { pngs: unknown[] };
    writeFileSync(file, JSON.stringify({ ...entry, pngs: [entry.pngs[0], entry.pngs[0]] }));
    expect(await cache.lookup(key, shape(2))).toBeUndefined();
  });

  it('misses on a garbled blob of the right size, and the next store replaces it', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pdf: pdf('good'), pngs: [] }, shape(1, { png: false }));
    const blob = t.path(join('cache', files(t.path('cache')).find((f) => f.includes('/blobs/'))!));
    writeFileSync(blob, pdf('evil'));
    expect(await cache.lookup(key, shape(1, { png: false }))).toBeUndefined();
    // The deck is exported again and stored again: the blob is rewritten, so later builds hit.
    await cache.store(key, { pdf: pdf('good'), pngs: [] }, shape(1, { png: false }));
    const found = await cache.lookup<{ pdf?: Uint8Array; pngs: Uint8Array[] }>(key, shape(1, { png: false }));
    expect(found?.pdf && Buffer.from(found.pdf).toString()).toBe('%PDF-1.7\ngood\n%%EOF\n');
  });

  it('misses on a blob that is not what its kind says: a PNG of another size, a truncated PDF', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [png(8, 8)] });
    expect(await cache.lookup(key, shape(1, { pdf: false }))).toBeUndefined();
    await cache.store(other, { pdf: bytes('%PDF-1.7 cut short'), pngs: [] });
    expect(await cache.lookup(other, shape(1, { png: false }))).toBeUndefined();
  });

  it('treats an entry that is not JSON as a miss', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [] });
    writeFileSync(entryFile(key), '{ truncated');
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('with read: false (--force) never hits but still stores', async () => {
    const forced = openBuildCache(t.path('cache'), { read: false });
    await forced.store(key, { pngs: [png()] });
    expect(await forced.lookup(key)).toBeUndefined();
    expect(await openBuildCache(t.path('cache')).lookup(key)).toBeDefined();
  });

  it('with write: false (--no-cache) writes nothing', async () => {
    await openBuildCache(t.path('cache'), { write: false }).store(key, { pngs: [png()] });
    expect(files(t.path('cache'))).toEqual([]);
  });

  it('reports a cache it cannot write as one warning, not a failure, and stops trying', async () => {
    writeFileSync(t.path('not-a-folder'), 'a file where the cache folder should be');
    const warnings: string[] = [];
    const cache = openBuildCache(t.path('not-a-folder'), { logger: { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m) } });
    await expect(cache.store(key, { pngs: [png()] })).resolves.toBeUndefined();
    await expect(cache.store(other, { pngs: [png()] })).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not write the build cache/);
    expect(readFileSync(t.path('not-a-folder'), 'utf8')).toMatch(/a file/);
  });

  it('moves nothing: a cache folder copied elsewhere (as CI restores it) still hits', async () => {
    await openBuildCache(t.path('cache')).store(key, { pdf: pdf('x'), pngs: [png()] }, shape(1));
    renameSync(t.path('cache'), t.path('restored'));
    expect(await openBuildCache(t.path('restored')).lookup(key, shape(1))).toBeDefined();
  });
});

describe('checkCacheFolder', () => {
  const t = testdir({ 'file-not-folder': 'x' });

  it('is true for a folder it can make, and false with one warning for a file in the way', async () => {
    const warnings: string[] = [];
    const logger = { info: () => {}, debug: () => {}, warn: (m: string) => warnings.push(m) };
    expect(await checkCacheFolder(t.path('new-cache'), logger)).toBe(true);
    expect(existsSync(t.path('new-cache'))).toBe(true);
    expect(await checkCacheFolder(t.path('file-not-folder'), logger)).toBe(false);
    expect(await checkCacheFolder(t.path('file-not-folder/below'), logger)).toBe(false);
    expect(warnings).toEqual([
      `the build cache in ${t.path('file-not-folder')} cannot be used (a file stands where its folder must be); building without it`,
      `the build cache in ${t.path('file-not-folder/below')} cannot be used (a file stands where its folder must be); building without it`,
    ]);
    t.cleanup();
  });
});
