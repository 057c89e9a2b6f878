import { cpSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBuildOptions } from '../../src/config.js';
import { build } from '../../src/build/build.js';
import type { BuildResult } from '../../src/build/types.js';
import { testdir } from '../support/testdir.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'release');

/** A build of both fixture decks as PDFs, timed, with the build cache in the project. */
async function timedBuild(dir: string, out: string, flags: { force?: boolean } = {}): Promise<{ result: BuildResult; ms: number }> {
  const options = resolveBuildOptions({ data: ['data'], templates: 'templates', out, audience: 'all', format: 'pdf', ...flags }, dir, {});
  const startedAt = performance.now();
  const result = await build(options);
  return { result, ms: performance.now() - startedAt };
}

const cachedKeys = (result: BuildResult) => result.decks.filter((d) => d.cached).map((d) => d.key);
const builtKeys = (result: BuildResult) => result.decks.filter((d) => !d.cached).map((d) => d.key);

describe('the build cache', { timeout: 60_000 }, () => {
  const t = testdir({});
  let cold: { result: BuildResult; ms: number };
  let warm: { result: BuildResult; ms: number };
  let coldManifest: string;

  beforeAll(async () => {
    cpSync(fixture, t.dir, { recursive: true });
    cold = await timedBuild(t.dir, 'out');
    coldManifest = readFileSync(t.path('out/manifest.json'), 'utf8');
    warm = await timedBuild(t.dir, 'out');
  });
  afterAll(() => t.cleanup());

  it('builds every deck in the browser when cold', () => {
    expect(cold.result.browserStarted).toBe(true);
    expect(builtKeys(cold.result)).toEqual(['tiny-release/en/people', 'tiny-release/en/review']);
    expect(readdirSync(t.path('.briefgen-cache/v2/entries')).length).toBeGreaterThan(0);
  });

  it('rebuilds nothing unchanged: no browser, a fraction of the time, the same manifest', () => {
    expect(warm.result.browserStarted).toBe(false);
    expect(cachedKeys(warm.result)).toEqual(['tiny-release/en/people', 'tiny-release/en/review']);
    expect(readFileSync(t.path('out/manifest.json'), 'utf8')).toBe(coldManifest);
    // Cold starts a browser and exports; warm only composes, renders and hashes. A third of the time
    // in practice (far less on an idle machine); half leaves room for a loaded one.
    expect(warm.ms, `warm ${Math.round(warm.ms)} ms vs cold ${Math.round(cold.ms)} ms`).toBeLessThan(cold.ms / 2);
  });

  it('fills an empty output folder from the cache, byte for byte', async () => {
    const again = await timedBuild(t.dir, 'out-restored');
    expect(again.result.browserStarted).toBe(false);
    const pdf = 'tiny-release/en/review/tiny-release-en-review.pdf';
    expect(readFileSync(t.path(join('out-restored', pdf)))).toEqual(readFileSync(t.path(join('out', pdf))));
  });

  it('rebuilds only the deck whose partial changed', async () => {
    const partial = t.path('templates/partials/people.hbs');
    writeFileSync(partial, readFileSync(partial, 'utf8').replace('- {{name}}', '- **{{name}}**'));
    const changed = await timedBuild(t.dir, 'out');
    expect(changed.result.browserStarted).toBe(true);
    expect(builtKeys(changed.result)).toEqual(['tiny-release/en/people']);
    expect(cachedKeys(changed.result)).toEqual(['tiny-release/en/review']);
  });

  it('ignores the cache with --force', async () => {
    const forced = await timedBuild(t.dir, 'out', { force: true });
    expect(forced.result.browserStarted).toBe(true);
    expect(cachedKeys(forced.result)).toEqual([]);
  });
});
