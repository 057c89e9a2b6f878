import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBuildOptions } from '../../src/config.js';
import { build } from '../../src/build/build.js';
import type { BuildResult } from '../../src/build/types.js';
import { testdir } from '../support/testdir.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'release');

/** A build of both fixture decks as PDFs, with the build cache in the project. */
async function buildFixture(dir: string, out: string, flags: { force?: boolean } = {}): Promise<{ result: BuildResult }> {
  const options = resolveBuildOptions({ data: ['data'], templates: 'templates', out, audience: 'all', format: 'pdf', ...flags }, dir, {});
  return { result: await build(options) };
}

const cachedKeys = (result: BuildResult) => result.decks.filter((d) => d.cached).map((d) => d.key);
const builtKeys = (result: BuildResult) => result.decks.filter((d) => !d.cached).map((d) => d.key);

describe('the build cache', { timeout: 60_000 }, () => {
  const t = testdir({});
  let cold: { result: BuildResult };
  let warm: { result: BuildResult };
  let coldManifest: string;

  beforeAll(async () => {
    cpSync(fixture, t.dir, { recursive: true });
    cold = await buildFixture(t.dir, 'out');
    coldManifest = readFileSync(t.path('out/manifest.json'), 'utf8');
    warm = await buildFixture(t.dir, 'out');
  });
  afterAll(() => t.cleanup());

  it('builds every deck in the browser when cold', () => {
    expect(cold.result.browserStarted).toBe(true);
    expect(builtKeys(cold.result)).toEqual(['tiny-release/en/people', 'tiny-release/en/review']);
    expect(readdirSync(t.path('.briefgen-cache/v3/entries')).length).toBeGreaterThan(0);
  });

  it('rebuilds nothing unchanged: no browser, the same manifest', () => {
    expect(warm.result.browserStarted).toBe(false);
    expect(cachedKeys(warm.result)).toEqual(['tiny-release/en/people', 'tiny-release/en/review']);
    expect(readFileSync(t.path('out/manifest.json'), 'utf8')).toBe(coldManifest);
    // How much faster warm is than cold is a figure of `npm run bench` (warm ÷ cold), not a test:
    // a timed assertion fails on a loaded machine without anything being wrong.
  });

  it('fills an empty output folder from the cache, byte for byte', async () => {
    const again = await buildFixture(t.dir, 'out-restored');
    expect(again.result.browserStarted).toBe(false);
    const pdf = 'tiny-release/en/review/tiny-release-en-review.pdf';
    expect(readFileSync(t.path(join('out-restored', pdf)))).toEqual(readFileSync(t.path(join('out', pdf))));
  });

  it('rebuilds only the deck whose partial changed', async () => {
    const partial = t.path('templates/partials/people.hbs');
    writeFileSync(partial, readFileSync(partial, 'utf8').replace('- {{name}}', '- **{{name}}**'));
    const changed = await buildFixture(t.dir, 'out');
    expect(changed.result.browserStarted).toBe(true);
    expect(builtKeys(changed.result)).toEqual(['tiny-release/en/people']);
    expect(cachedKeys(changed.result)).toEqual(['tiny-release/en/review']);
  });

  it('ignores the cache with --force', async () => {
    const forced = await buildFixture(t.dir, 'out', { force: true });
    expect(forced.result.browserStarted).toBe(true);
    expect(cachedKeys(forced.result)).toEqual([]);
  });
});

/** Every file the manifest lists is in `out` with its size and sha256, and each deck has one PNG per slide. */
function manifestTrue(out: string): { decks: number; files: number } {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { decks: Array<{ slides: number; artifacts: Array<{ path: string; kind: string; size: number; sha256: string }> }> };
  let files = 0;
  for (const deck of manifest.decks) {
    expect(deck.artifacts.filter((a) => a.kind === 'png')).toHaveLength(deck.slides);
    for (const artifact of deck.artifacts) {
      const bytes = readFileSync(join(out, artifact.path));
      expect(bytes.byteLength, artifact.path).toBe(artifact.size);
      expect(createHash('sha256').update(bytes).digest('hex'), artifact.path).toBe(artifact.sha256);
      files += 1;
    }
  }
  return { decks: manifest.decks.length, files };
}

describe('a build cache that is not trusted, only verified', { timeout: 90_000 }, () => {
  const t = testdir({});
  const run = (out: string, flags: { cacheDir?: string } = {}) => build(resolveBuildOptions({ data: ['data'], templates: 'templates', out, audience: 'all', format: 'pdf,png', ...flags }, t.dir, {}), { logger: { info() {}, debug() {}, warn: (m) => warnings.push(m) } });
  const warnings: string[] = [];
  const cacheFiles = (kind: 'entries' | 'inputs') => readdirSync(t.path(`.briefgen-cache/v3/${kind}`), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const slidesOf = (out: string, deck: string) => readdirSync(t.path(join(out, 'tiny-release/en', deck))).filter((f) => f.endsWith('.png')).length;
  let expected: Record<string, number>;

  beforeAll(async () => {
    cpSync(fixture, t.dir, { recursive: true });
    const cold = await run('out');
    expected = Object.fromEntries(cold.decks.map((d) => [d.audience, d.slides]));
  });
  afterAll(() => t.cleanup());

  it('an export entry that lists fewer PNGs than its deck has slides is a miss, never shipped', async () => {
    for (const file of cacheFiles('entries')) {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { pngs: unknown[] };
      writeFileSync(file, JSON.stringify({ ...entry, pngs: entry.pngs.slice(0, 1) }));
    }
    const result = await run('out-fewer');
    expect(result.browserStarted).toBe(true);
    for (const deck of ['people', 'review']) expect(slidesOf('out-fewer', deck)).toBe(expected[deck]);
    manifestTrue(t.path('out-fewer'));
  });

  it('export entries whose PDFs were swapped are misses: each deck ships its own PDF', async () => {
    const entries = cacheFiles('entries').map((file) => ({ file, entry: JSON.parse(readFileSync(file, 'utf8')) as { pdf?: unknown } })).filter((e) => e.entry.pdf);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const [a, b] = entries;
    writeFileSync(a!.file, JSON.stringify({ ...a!.entry, pdf: b!.entry.pdf }));
    writeFileSync(b!.file, JSON.stringify({ ...b!.entry, pdf: a!.entry.pdf }));
    const result = await run('out-swapped');
    expect(result.browserStarted).toBe(true);
    const text = (deck: string) => execFileSync('pdftotext', [t.path(`out-swapped/tiny-release/en/${deck}/tiny-release-en-${deck}.pdf`), '-'], { encoding: 'utf8' });
    const pages = (deck: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [t.path(`out-swapped/tiny-release/en/${deck}/tiny-release-en-${deck}.pdf`)], { encoding: 'utf8' }))![1]);
    for (const deck of ['people', 'review']) expect(pages(deck)).toBe(expected[deck]);
    expect(text('people')).not.toBe(text('review'));
    manifestTrue(t.path('out-swapped'));
  });

  it('an input entry that lists fewer PNGs is a miss: the fast path deletes no good PNG from out/', async () => {
    await run('out-fast');
    const before = { people: slidesOf('out-fast', 'people'), review: slidesOf('out-fast', 'review') };
    expect(before.review).toBeGreaterThan(1);
    for (const file of cacheFiles('inputs')) {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { deck: { artifacts: Array<{ kind: string; path: string }> } };
      const pngs = entry.deck.artifacts.filter((a) => a.kind === 'png').slice(0, 1);
      writeFileSync(file, JSON.stringify({ ...entry, deck: { ...entry.deck, artifacts: [...entry.deck.artifacts.filter((a) => a.kind !== 'png'), ...pngs] } }));
    }
    await run('out-fast');
    expect({ people: slidesOf('out-fast', 'people'), review: slidesOf('out-fast', 'review') }).toEqual(before);
    manifestTrue(t.path('out-fast'));
  });

  it('a garbled blob of the right size is a miss once, then rewritten: the next build hits again', async () => {
    await run('out-garbled');
    const blobs = readdirSync(t.path('.briefgen-cache/v3/blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    for (const blob of blobs) {
      const bytes = readFileSync(blob);
      const middle = bytes.length >> 1;
      bytes[middle] = bytes[middle]! ^ 0xff;
      writeFileSync(blob, bytes);
    }
    rmSync(t.path('out-garbled'), { recursive: true });
    const missed = await run('out-garbled');
    expect(missed.browserStarted).toBe(true);
    manifestTrue(t.path('out-garbled'));
    rmSync(t.path('out-garbled'), { recursive: true });
    const hit = await run('out-garbled');
    expect(hit.browserStarted).toBe(false);
    manifestTrue(t.path('out-garbled'));
  });

  it('--cache-dir naming a file is one warning and a build without the cache', async () => {
    writeFileSync(t.path('cache-file'), 'not a folder');
    warnings.length = 0;
    const result = await run('out-nocache', { cacheDir: 'cache-file' });
    expect(result.decks.map((d) => d.key)).toEqual(['tiny-release/en/people', 'tiny-release/en/review']);
    expect(warnings).toEqual([`the build cache in ${t.path('cache-file')} cannot be used (a file stands where its folder must be); building without it`]);
    expect(readFileSync(t.path('cache-file'), 'utf8')).toBe('not a folder');
    manifestTrue(t.path('out-nocache'));
  });
});
