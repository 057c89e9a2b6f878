import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDeck } from '../../src/browser/export-deck.js';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { splitMarkerClass } from '../../src/compose/paginate.js';
import { fitSlides } from '../../src/fit/auto-fit.js';
import { measureSlides, type SlideMeasurement } from '../../src/fit/measure-overflow.js';
import { createRenderer } from '../../src/render/render-deck.js';

/** Measurement alone (no fitting), on small decks in the shipped theme, through the real export stage. */

const themeFile = fileURLToPath(new URL('../../templates/themes/briefing.css', import.meta.url));
const renderer = createRenderer({ themes: [{ name: 'briefing', css: readFileSync(themeFile, 'utf8'), file: themeFile }], allowedRoots: [] });
const front = '---\nmarp: true\ntheme: briefing\npaginate: true\nfooter: "Source: a footer far too long for its line, which the theme cuts off with an ellipsis on purpose, so it is not an overflow at all, whatever its length"\n---\n\n';

let session: BrowserSession;
beforeAll(() => {
  session = createBrowserSession({ poolSize: 1, protocolTimeoutMs: 20_000 });
});
afterAll(() => session?.close());

async function measure(markdown: string): Promise<SlideMeasurement[]> {
  const deck = renderer.render({ markdown: front + markdown, lang: 'en', baseDir: '/' });
  const exported = await exportDeck(session, {
    html: deck.html,
    width: deck.width,
    height: deck.height,
    slideCount: deck.slideCount,
    formats: { pdf: false, png: false },
    allowedRoots: ['/'],
    inspect: { run: (page) => fitSlides(page, { minScale: 0.75, autoFit: false }) },
  });
  expect(exported.pngs).toEqual([]);
  expect(exported.pdf).toBeUndefined();
  expect(exported.inspected?.fits).toEqual([]);
  return exported.inspected!.before;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const token = 'Averyveryverylongidentifierwithoutanyplacetobreakitatall';

describe('measureSlides', () => {
  it('finds nothing on slides that fit, whatever the footer, and ignores text hidden for screen readers', async () => {
    const math = '## Math\n\nInline $E = mc^2$ and a block:\n\n$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$\n';
    const slides = await measure(`<!-- _class: title -->\n\n# A title\n\n## A subtitle\n\n---\n\n## A list\n\n- One\n- Two\n- Three\n\n---\n\n<!-- _class: cards -->\n\n## Cards\n\n1. **A** text\n2. **B** text\n\n---\n\n${math}`);
    expect(slides.map((s) => s.overflows)).toEqual([[], [], [], []]);
    expect(slides.map((s) => s.slide)).toEqual([1, 2, 3, 4]);
    // The content box of a 1280 x 720 slide with the theme's padding (60 top, 76 bottom).
    expect(slides[1]!.available).toBe(584);
  });

  it('reports a paragraph running off the bottom, by its first words and the pixels', async () => {
    const [slide] = await measure(`## Too long\n\nStart of it ${words(600)}\n`);
    expect(slide!.overflows).toHaveLength(1);
    expect(slide!.overflows[0]).toMatchObject({ tag: 'p', block: 'p', x: 0, kind: 'slide' });
    expect(slide!.overflows[0]!.text).toMatch(/^Start of it word0 word1 .*…$/);
    expect(slide!.overflows[0]!.y).toBeGreaterThan(300);
    expect(slide!.needed - slide!.available).toBeCloseTo(slide!.overflows[0]!.y, -1);
  });

  it('names the first list item that crosses the bottom edge', async () => {
    const [slide] = await measure(`## Forty\n\n${Array.from({ length: 40 }, (_, i) => `- Item ${i + 1}`).join('\n')}\n`);
    const [overflow] = slide!.overflows;
    expect(overflow).toMatchObject({ tag: 'li', block: 'ul', kind: 'slide' });
    const first = Number(/^Item (\d+)$/.exec(overflow!.text)?.[1]);
    // About 13 items of 24 px text fit under the heading; the one named is the first cut off.
    expect(first).toBeGreaterThan(8);
    expect(first).toBeLessThan(18);
  });

  it('blames the long unbreakable string when a table is too wide', async () => {
    const [slide] = await measure(`## Wide\n\n| A | B |\n| --- | --- |\n| short | ${token}${token}${token} |\n`);
    const [overflow] = slide!.overflows;
    expect(overflow).toMatchObject({ tag: 'td', block: 'table', y: 0, kind: 'slide' });
    expect(overflow!.text.startsWith('Averyvery')).toBe(true);
    expect(overflow!.x).toBeGreaterThan(500);
  });

  it('sees text running out of its own box inside the slide, and content a box clips', async () => {
    const markdown = [
      // The theme breaks long words where it must; this box does not, like a nowrap label would.
      '<style scoped>.narrow { width: 200px; overflow-wrap: normal; } .clip { height: 40px; overflow: hidden; }</style>',
      '',
      '## Boxes',
      '',
      `<div class="narrow"><p>${token}</p></div>`,
      '',
      `<div class="clip"><p>${words(60)}</p></div>`,
      '',
    ].join('\n');
    const [slide] = await measure(markdown);
    expect(slide!.overflows).toHaveLength(2);
    const [narrow, clipped] = slide!.overflows;
    expect(narrow).toMatchObject({ block: 'div', y: 0, kind: 'box' });
    expect(narrow!.x).toBeGreaterThan(200);
    expect(clipped).toMatchObject({ tag: 'div', block: 'div', x: 0, kind: 'box' });
    expect(clipped!.y).toBeGreaterThan(30);
  });

  it('holds positioned elements to the slide edge, not the padding', async () => {
    const markdown = [
      '<style scoped>.badge { position: absolute; top: 10px; right: 10px; } .off { position: absolute; bottom: -50px; left: 20px; height: 80px; }</style>',
      '',
      '## Positioned',
      '',
      '<div class="badge"><p>In the corner</p></div>',
      '',
      '<div class="off"><p>Half off the slide</p></div>',
      '',
    ].join('\n');
    const [slide] = await measure(markdown);
    expect(slide!.overflows).toEqual([expect.objectContaining({ block: 'div', y: 50, kind: 'slide' })]);
  });

  it('counts both ends of content that a centred layout pushes out at the top and the bottom', async () => {
    const [slide] = await measure(`<!-- _class: statement -->\n\n${words(500)}\n`);
    const [overflow] = slide!.overflows;
    expect(overflow!.y).toBe(slide!.needed - slide!.available);
  });

  it('gives the same numbers at any display scale, and reads the split marker', async () => {
    const markdown = `## Scaled\n\n${words(700)}\n\n<div class="${splitMarkerClass}" title="sections.x.items 2 5 40"></div>\n`;
    const deck = renderer.render({ markdown: front + markdown, lang: 'en', baseDir: '/' });
    const results = await session.withPage(async (page) => {
      // On screen the deck presents one slide fitted to the window: 800 px wide here, a scale of 0.625.
      await page.setViewport({ width: 800, height: 600 });
      await page.setContent(deck.html, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      const args = { tolerance: 1, markerClass: splitMarkerClass };
      const scaled = await page.evaluate(measureSlides, args);
      const scale = await page.evaluate(() => document.querySelector('svg[data-marpit-svg]')!.getBoundingClientRect().width / 1280);
      await page.evaluate(() => document.documentElement.setAttribute('data-export', ''));
      return { scaled, scale, actual: await page.evaluate(measureSlides, args) };
    });
    expect(results.scale).toBeLessThan(0.7);
    expect(results.scaled).toEqual(results.actual);
    expect(results.actual[0]!.split).toEqual({ id: 'sections.x.items', run: 2, per: 5, count: 40 });
    expect(results.actual[0]!.overflows[0]!.y).toBeGreaterThan(100);
  });
});
