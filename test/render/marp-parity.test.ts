import { basename, extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { compareSlides, fixtureDecks, fixtureRoot, pngsIn, renderWithMarpCli, type SlideDifference } from '../support/marp-oracle.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/** Share of differing pixels (pixelmatch threshold 0.1) under which a slide counts as the same. */
const sameSlide = 0.005;

/**
 * Slides that are known to differ from Marp CLI, and why (README, "Differences from Marp CLI").
 * Anything else over the threshold fails.
 */
const knownDifferences: Record<string, { slides: number[]; reason: string }> = {};

describe('briefgen render against Marp CLI 4.5 on real decks', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());
  const results = new Map<string, { ours: string[]; theirs: string[]; code: number; stderr: string; diff: SlideDifference[] }>();

  beforeAll(async () => {
    const browser = await resolveExecutable();
    for (const fixture of fixtureDecks) {
      const project = join(fixtureRoot, fixture.project);
      const ours = await runCli(['render', fixture.deck, '--out', t.path(`ours/${fixture.name}`), '--format', 'png'], { cwd: project });
      const stem = basename(fixture.deck, extname(fixture.deck));
      const ourPngs = ours.code === 0 ? pngsIn(t.path(`ours/${fixture.name}/${stem}`)) : [];
      const theirPngs = await renderWithMarpCli(fixture, t.path(`theirs/${fixture.name}`), browser.path);
      results.set(fixture.name, { ours: ourPngs, theirs: theirPngs, code: ours.code, stderr: ours.stderr, diff: compareSlides(ourPngs, theirPngs) });
    }
    const lines = [...results].map(([name, r]) => `${name}: ${r.diff.filter((d) => d.ratio < sameSlide).length}/${r.theirs.length} same; ${r.diff.map((d) => `${d.slide}:${(d.ratio * 100).toFixed(2)}%`).join(' ')}`);
    const slides = [...results.values()].reduce((n, r) => n + r.theirs.length, 0);
    const same = [...results.values()].reduce((n, r) => n + r.diff.filter((d) => d.ratio < sameSlide).length, 0);
    console.log(`briefgen render vs Marp CLI: ${same} of ${slides} slides under ${sameSlide * 100}% differing pixels\n${lines.join('\n')}`);
  }, 300_000);

  for (const fixture of fixtureDecks) {
    it(`${fixture.name}: same slides, sizes and pixels`, () => {
      const r = results.get(fixture.name)!;
      expect(r.code, r.stderr).toBe(0);
      expect(r.ours.length).toBe(r.theirs.length);
      const known = knownDifferences[fixture.name]?.slides ?? [];
      for (const d of r.diff) {
        expect(d.size, `slide ${d.slide} size`).toEqual(d.otherSize);
        if (known.includes(d.slide)) continue;
        expect(d.ratio, `slide ${d.slide}: ${(d.ratio * 100).toFixed(2)}% of pixels differ`).toBeLessThan(sameSlide);
      }
    });
  }
});
