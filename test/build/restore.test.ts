import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBuildOptions, type BuildFlags } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { build } from '../../src/build/build.js';
import type { BuildOptions, BuildResult } from '../../src/build/types.js';
import { testdir } from '../support/testdir.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'release');
const decks = ['tiny-release/en/people', 'tiny-release/en/review'];

/** A build of both fixture decks, noting how many decks were composed (none on the fast path). */
async function run(dir: string, flags: Partial<BuildFlags> = {}, overrides: Partial<BuildOptions> = {}): Promise<{ result: BuildResult; composed: number; restoredByInputs: number }> {
  let composed = 0;
  let restoredByInputs = 0;
  const logger: Logger = {
    info: () => {},
    warn: () => {},
    debug: (scope, message) => {
      const count = /^composed (\d+) decks$/.exec(message);
      if (scope === 'compose' && count) composed += Number(count[1]);
      const inputs = /^inputs (.*)$/.exec(message);
      if (scope === 'timing' && inputs) restoredByInputs = (JSON.parse(inputs[1]!) as { restored: number }).restored;
    },
  };
  const options = resolveBuildOptions({ data: ['data'], templates: 'templates', out: 'out', audience: 'all', format: 'pdf,md', ...flags }, dir, {});
  const result = await build({ ...options, ...overrides }, { logger });
  return { result, composed, restoredByInputs };
}

const cachedKeys = (result: BuildResult) => result.decks.filter((d) => d.cached).map((d) => d.key);
const builtKeys = (result: BuildResult) => result.decks.filter((d) => !d.cached).map((d) => d.key);

describe('the input-keyed fast path', { timeout: 90_000 }, () => {
  const t = testdir({});
  let coldManifest: string;

  beforeAll(async () => {
    cpSync(fixture, t.dir, { recursive: true });
    const cold = await run(t.dir);
    expect(builtKeys(cold.result)).toEqual(decks);
    coldManifest = readFileSync(t.path('out/manifest.json'), 'utf8');
  });
  afterAll(() => t.cleanup());

  it('restores unchanged decks without composing, rendering or a browser, and writes the same manifest', async () => {
    expect(readdirSync(t.path('.briefgen-cache/v3/inputs')).length).toBeGreaterThan(0);
    const warm = await run(t.dir);
    expect(warm.composed).toBe(0);
    expect(warm.restoredByInputs).toBe(2);
    expect(warm.result.browserStarted).toBe(false);
    expect(cachedKeys(warm.result)).toEqual(decks);
    expect(readFileSync(t.path('out/manifest.json'), 'utf8')).toBe(coldManifest);
  });

  it('misses on any edit of the data file, even one that leaves the decks alone', async () => {
    appendFileSync(t.path('data/en.yaml'), '# an edit that changes no slide\n');
    const edited = await run(t.dir);
    expect(edited.composed).toBe(2);
    // The export cache behind it still sees the same HTML: nothing is exported again.
    expect(edited.result.browserStarted).toBe(false);
    expect(readFileSync(t.path('out/manifest.json'), 'utf8')).toBe(coldManifest);
    expect((await run(t.dir)).composed).toBe(0);
  });

  it('misses when an image is added beside the data', async () => {
    writeFileSync(t.path('data/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect((await run(t.dir)).composed).toBe(2);
    expect((await run(t.dir)).composed).toBe(0);
  });

  it('misses when an option that shapes the output changes', async () => {
    expect((await run(t.dir, { format: 'pdf' })).composed).toBe(2);
    expect((await run(t.dir, {}, { fit: { auto: false } })).composed).toBe(2);
    expect((await run(t.dir, {}, { sourceDateEpoch: 1718150400 })).composed).toBe(2);
  });

  it('misses for a deck whose files are no longer in the output folder, and brings them back', async () => {
    await run(t.dir);
    const pdf = t.path('out/tiny-release/en/review/tiny-release-en-review.pdf');
    rmSync(pdf);
    const again = await run(t.dir);
    expect(again.restoredByInputs).toBe(1);
    expect(again.composed).toBe(1);
    expect(again.result.browserStarted).toBe(false);
    expect(readFileSync(t.path('out/manifest.json'), 'utf8')).toBe(coldManifest);
    writeFileSync(pdf, 'not the PDF');
    expect((await run(t.dir)).restoredByInputs).toBe(1);
    expect(readFileSync(t.path('out/manifest.json'), 'utf8')).toBe(coldManifest);
  });

  it('is bypassed by --force and --no-cache', async () => {
    expect((await run(t.dir)).composed).toBe(0);
    const forced = await run(t.dir, { force: true });
    expect(forced.composed).toBe(2);
    expect(forced.result.browserStarted).toBe(true);
    const uncached = await run(t.dir, { cache: false });
    expect(uncached.composed).toBe(2);
    expect(uncached.restoredByInputs).toBe(0);
  });

  it('misses every deck on a partial edit; only the decks that call the partial are exported again', async () => {
    // The --no-cache build above rewrote the PDFs (dated now) without recording them: one run puts them back.
    await run(t.dir);
    expect((await run(t.dir)).composed).toBe(0);
    const partial = t.path('templates/partials/people.hbs');
    writeFileSync(partial, readFileSync(partial, 'utf8').replace('- {{name}}', '- **{{name}}**'));
    const changed = await run(t.dir);
    expect(changed.composed).toBe(2);
    expect(changed.result.browserStarted).toBe(true);
    expect(builtKeys(changed.result)).toEqual(['tiny-release/en/people']);
    expect(cachedKeys(changed.result)).toEqual(['tiny-release/en/review']);
    expect((await run(t.dir)).composed).toBe(0);
  });
});
