import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBuildCache } from '../../src/cache/build-cache.js';
import { testdir } from '../support/testdir.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const key = 'ab'.padEnd(64, '0');

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

  it('gives back what was stored: PDF, PNGs in order, and the other fields', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pdf: bytes('%PDF-1.7 one'), pngs: [bytes('png 1'), bytes('png 2')], blockedUrls: ['https://example.com/x.png'] } as never);
    const found = await cache.lookup<{ pdf?: Uint8Array; pngs: Uint8Array[]; blockedUrls: string[] }>(key);
    expect(found?.pdf && Buffer.from(found.pdf).toString()).toBe('%PDF-1.7 one');
    expect(found?.pngs.map((p) => Buffer.from(p).toString())).toEqual(['png 1', 'png 2']);
    expect(found?.blockedUrls).toEqual(['https://example.com/x.png']);
  });

  it('keeps the PPTX as a blob, checked like the others', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [], pptx: bytes('PK pptx bytes'), pptxIssues: [] } as never);
    const found = await cache.lookup<{ pngs: Uint8Array[]; pptx?: Uint8Array; pptxIssues: unknown[] }>(key);
    expect(found?.pptx && Buffer.from(found.pptx).toString()).toBe('PK pptx bytes');
    expect(found?.pptxIssues).toEqual([]);
    const entry = files(t.path('cache')).find((f) => f.includes('/entries/'))!;
    expect(readFileSync(t.path(join('cache', entry)), 'utf8')).not.toContain('PK pptx');
    const blob = files(t.path('cache')).find((f) => f.includes('/blobs/'))!;
    writeFileSync(t.path(join('cache', blob)), 'PK evil bytes');
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('misses on an unknown key', async () => {
    expect(await openBuildCache(t.path('cache')).lookup(key)).toBeUndefined();
  });

  it('stores equal files once (content-addressed)', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [bytes('same'), bytes('same')] });
    await cache.store('cd'.padEnd(64, '0'), { pngs: [bytes('same')] });
    expect(files(t.path('cache')).filter((f) => f.includes('/blobs/'))).toHaveLength(1);
  });

  it('treats a corrupt file as a miss, so the deck is rebuilt', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pdf: bytes('%PDF good'), pngs: [] });
    const blob = files(t.path('cache')).find((f) => f.includes('/blobs/'))!;
    writeFileSync(t.path(join('cache', blob)), '%PDF evil');
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('treats an entry that is not JSON as a miss', async () => {
    const cache = openBuildCache(t.path('cache'));
    await cache.store(key, { pngs: [] });
    const entry = files(t.path('cache')).find((f) => f.includes('/entries/'))!;
    writeFileSync(t.path(join('cache', entry)), '{ truncated');
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('with read: false (--force) never hits but still stores', async () => {
    const forced = openBuildCache(t.path('cache'), { read: false });
    await forced.store(key, { pngs: [bytes('x')] });
    expect(await forced.lookup(key)).toBeUndefined();
    expect(await openBuildCache(t.path('cache')).lookup(key)).toBeDefined();
  });

  it('with write: false (--no-cache) writes nothing', async () => {
    await openBuildCache(t.path('cache'), { write: false }).store(key, { pngs: [bytes('x')] });
    expect(files(t.path('cache'))).toEqual([]);
  });

  it('reports a cache it cannot write as a warning, not a failure', async () => {
    writeFileSync(t.path('not-a-folder'), 'a file where the cache folder should be');
    const warnings: string[] = [];
    const cache = openBuildCache(t.path('not-a-folder'), { logger: { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m) } });
    await expect(cache.store(key, { pngs: [bytes('x')] })).resolves.toBeUndefined();
    expect(warnings.join('\n')).toMatch(/could not write the build cache/);
    expect(readFileSync(t.path('not-a-folder'), 'utf8')).toMatch(/a file/);
  });
});
