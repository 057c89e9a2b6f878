import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { pngsIn, renderWithMarpCli } from '../support/marp-oracle.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

const fixture = 'test/fixtures/render-compare';

/**
 * `briefgen render` must look like Marp CLI: both export the same deck (Marp CLI with its own
 * engine, offline; the same browser) and the PNGs are compared pixel by pixel.
 */
describe('briefgen render matches Marp CLI', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());
  let ours: string[] = [];
  let theirs: string[] = [];
  let cliResult: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    cliResult = await runCli(['render', join(fixture, 'deck.md'), '--out', t.path('ours'), '--format', 'png,pdf,html']);
    const browser = await resolveExecutable();
    theirs = await renderWithMarpCli({ name: 'render-compare', project: resolve(fixture), deck: 'deck.md' }, t.path('theirs'), browser.path);
    ours = pngsIn(t.path('ours/deck'));
  }, 180_000);

  it('exports every slide', () => {
    expect(cliResult.code, cliResult.stderr).toBe(0);
    expect(ours).toHaveLength(3);
    expect(theirs).toHaveLength(3);
  });

  it('gives the same pixels on every slide (themes, directives, math, emoji, CJK)', () => {
    for (const [index, file] of ours.entries()) {
      const a = PNG.sync.read(readFileSync(file));
      const b = PNG.sync.read(readFileSync(theirs[index]!));
      expect([a.width, a.height]).toEqual([b.width, b.height]);
      const differing = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
      // Anti-aliasing may differ on a handful of edge pixels; a real difference (a missing emoji, a
      // different font, an unapplied directive) changes thousands.
      expect(differing / (a.width * a.height), `slide ${index + 1}: ${differing} pixels differ`).toBeLessThan(0.001);
    }
  });

  it('writes the PDF and the HTML beside the PNGs, with no remote request', () => {
    const files = readdirSync(t.path('ours/deck'));
    expect(files).toEqual(expect.arrayContaining(['deck.pdf', 'deck.html']));
    expect(cliResult.stderr).not.toMatch(/blocked a request/);
  });
});
