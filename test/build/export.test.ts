import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseBrowser } from '../../src/build/browser-lease.js';
import { createDeckMaker } from '../../src/build/deck.js';
import { deckExporter, exportAndWriteDeck, exportDeckArtifacts } from '../../src/build/export.js';
import { loadInputs } from '../../src/build/inputs.js';
import { planDecks } from '../../src/build/plan.js';
import type { Deck, Inputs } from '../../src/build/types.js';
import { openBuildCache } from '../../src/cache/build-cache.js';
import { readPptx, textBodies } from '../support/pptx.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

const minimal = readFileSync(new URL('../fixtures/data/minimal.yaml', import.meta.url), 'utf8');
const t = testdir({ ...minimalTemplates, 'data/en.yaml': minimal });
let inputs: Inputs;
let deck: Deck;

beforeAll(async () => {
  inputs = await loadInputs({ data: [t.path('data')], templatesDir: t.path('templates'), projectRoot: t.dir });
  const maker = await createDeckMaker(inputs, { outDir: t.path('out'), fitAuto: true });
  deck = maker.make(planDecks(inputs.reports, inputs.templates, 'default', 'all')[0]!);
});
afterAll(() => t.cleanup());

describe('exportDeckArtifacts', () => {
  it('makes Markdown and HTML without a browser when no browser format is asked for', async () => {
    const lease = leaseBrowser();
    const { exporter } = deckExporter({ session: () => lease.get() });
    const exported = await exportDeckArtifacts(deck, { formats: new Set(['md', 'html']), allowedRoots: inputs.allowedRoots }, exporter);
    expect(exported.artifacts.map((a) => [a.kind, a.path])).toEqual([
      ['md', t.path('out/minimal/en/brief/minimal-en-brief.md')],
      ['html', t.path('out/minimal/en/brief/minimal-en-brief.html')],
    ]);
    expect(new TextDecoder().decode(exported.artifacts[0]!.bytes)).toBe(deck.markdown);
    expect(exported.fit).toBeUndefined();
    expect(lease.started).toBe(false);
  });
});

describe('exportAndWriteDeck behind the build cache', () => {
  it('exports in the browser on a miss, and serves the same bytes from the cache without one', async () => {
    const cache = { store: openBuildCache(t.path('cache')), key: { fingerprint: 'test', browser: 'test' } };
    const options = { formats: new Set(['pdf', 'png'] as const), allowedRoots: inputs.allowedRoots };
    const first = leaseBrowser();
    const cold = await exportAndWriteDeck(deck, t.path('out'), options, { session: () => first.get(), cache }).finally(() => first.close());
    expect(first.started).toBe(true);
    expect(cold.cached).toBe(false);
    expect(cold.artifacts.map((a) => a.kind)).toEqual(['pdf', 'png', 'png']);
    expect(cold.fit?.overflows).toEqual([]);

    const slide = readFileSync(t.path('out/minimal/en/brief/slide-02.png'));
    rmSync(t.path('out'), { recursive: true });
    const second = leaseBrowser();
    const warm = await exportAndWriteDeck(deck, t.path('out'), options, { session: () => second.get(), cache }).finally(() => second.close());
    expect(second.started).toBe(false);
    expect(warm.cached).toBe(true);
    expect(warm.artifacts.map((a) => [a.path, a.sha256])).toEqual(cold.artifacts.map((a) => [a.path, a.sha256]));
    expect(readFileSync(t.path('out/minimal/en/brief/slide-02.png'))).toEqual(slide);
  });

  it('writes the PPTX from the same page load, lists it as kind pptx, and restores it from the cache', async () => {
    const cache = { store: openBuildCache(t.path('cache-pptx')), key: { fingerprint: 'test', browser: 'test' } };
    const options = { formats: new Set(['png', 'pptx'] as const), allowedRoots: inputs.allowedRoots, date: new Date(Date.UTC(2024, 5, 12)) };
    const first = leaseBrowser();
    const cold = await exportAndWriteDeck(deck, t.path('out-pptx'), options, { session: () => first.get(), cache }).finally(() => first.close());
    expect(cold.artifacts.map((a) => [a.kind, a.pages])).toEqual([['png', 1], ['png', 1], ['pptx', 2]]);
    const file = join(deck.outputDir, 'minimal-en-brief.pptx');
    const pptx = readPptx(readFileSync(file));
    expect(pptx.slides).toHaveLength(2);
    expect(textBodies(pptx.xml(pptx.slides[1]!))).toEqual(['Trends', 'Open source Models go open.', expect.stringMatching(/^Minimal/), '2']);
    expect(pptx.text('docProps/core.xml')).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2024-06-12T00:00:00Z</dcterms:created>');

    rmSync(file);
    const second = leaseBrowser();
    const warm = await exportAndWriteDeck(deck, t.path('out-pptx'), options, { session: () => second.get(), cache }).finally(() => second.close());
    expect(second.started).toBe(false);
    expect(warm.artifacts.map((a) => [a.path, a.sha256])).toEqual(cold.artifacts.map((a) => [a.path, a.sha256]));
  });
});
