import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { collectSlides, type CollectedDeck } from '../../src/pptx/collect-slides.js';
import type { LayoutItem, Paragraph, ShapeItem } from '../../src/pptx/slide-layout.js';
import { deckHtml } from '../browser/deck-fixture.js';

/** The in-page reader on a Marp deck of the default theme: what it makes of each kind of content. */

const markdown = readFileSync(new URL('../fixtures/pptx/deck.md', import.meta.url), 'utf8');
let session: BrowserSession;
let deck: CollectedDeck;

const flat = (items: LayoutItem[]): LayoutItem[] => items.flatMap((item) => (item.kind === 'group' ? [item, ...flat(item.items)] : [item]));
const shapes = (slide: number) => flat(deck.slides[slide]!.items).filter((i): i is ShapeItem & { text: NonNullable<ShapeItem['text']> } => i.kind === 'shape' && i.text !== undefined);
const text = (p: Paragraph) => p.runs.map((r) => r.text).join('');

beforeAll(async () => {
  session = createBrowserSession({ poolSize: 1 });
  deck = await session.withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 });
    await page.setContent(deckHtml(markdown).html, { waitUntil: 'load' });
    await page.evaluate(() => {
      document.documentElement.dataset.export = '';
      return document.fonts.ready;
    });
    return page.evaluate(collectSlides, { notesSelector: 'aside[data-slide="{n}"]', targetAttribute: 'data-target' });
  });
}, 60_000);
afterAll(() => session?.close());

describe('collectSlides', () => {
  it('reads every slide, at the deck’s size, with its background', () => {
    expect([deck.width, deck.height]).toEqual([1280, 720]);
    expect(deck.slides).toHaveLength(2);
    expect(deck.slides[0]!.background).toEqual({ fill: { type: 'solid', color: { hex: 'ffffff', alpha: 1 } } });
  });

  it('makes the first heading the slide’s title and keeps a paragraph’s runs with their styles and links', () => {
    const [title, paragraph] = shapes(0);
    expect(title!.role).toBe('title');
    expect(text(title!.text.paragraphs[0]!)).toBe('A slide title');
    const runs = paragraph!.text.paragraphs[0]!.runs;
    expect(runs.map((r) => r.text).join('')).toBe('A paragraph with bold, italic and a link.');
    expect(runs.find((r) => r.text === 'bold')!.font.bold).toBe(true);
    expect(runs.find((r) => r.text === 'italic')!.font.italic).toBe(true);
    expect(runs.find((r) => r.text === 'link')!.href).toBe('https://example.com/page');
  });

  it('reads a list as one text frame with a bulleted paragraph per item, nested ones a level deeper', () => {
    const list = shapes(0).find((s) => s.role === 'list' && s.text.paragraphs.some((p) => text(p) === 'First point'))!;
    expect(list.text.paragraphs.map((p) => [text(p), p.level, p.bullet?.type])).toEqual([
      ['First point', 1, 'char'],
      ['Second point', 1, 'char'],
      ['A nested point', 2, 'char'],
    ]);
    const [outer, , nested] = list.text.paragraphs;
    expect(outer!.indent).toBeLessThan(0);
    expect(nested!.marginLeft).toBeGreaterThan(outer!.marginLeft);
  });

  it('keeps a numbered list’s numbering, from its start', () => {
    const list = shapes(0).find((s) => s.text.paragraphs.some((p) => text(p) === 'Third'))!;
    expect(list.text.paragraphs.map((p) => p.bullet)).toEqual([expect.objectContaining({ type: 'number', scheme: 'arabicPeriod', startAt: 3 }), expect.objectContaining({ type: 'number', startAt: 3 })]);
  });

  it('measures each line: its box, its baseline inside it, and what the next word would need', () => {
    for (const shape of shapes(0)) {
      for (const p of shape.text.paragraphs) {
        for (const line of p.lines) {
          expect(line.baseline).toBeGreaterThan(line.top);
          expect(line.baseline).toBeLessThanOrEqual(line.bottom);
          expect(line.right).toBeGreaterThan(line.left);
        }
      }
    }
  });

  it('reads a table cell by cell, with the header’s fill', () => {
    const table = flat(deck.slides[1]!.items).find((i) => i.kind === 'table');
    if (table?.kind !== 'table') throw new Error('no table');
    expect(table.columns).toHaveLength(2);
    expect(table.rows.map((row) => row.cells.map((c) => c.text.paragraphs.map(text).join('')))).toEqual([
      ['Model', 'Maker'],
      ['ERNIE Bot', 'Baidu'],
      ['通义千问', '阿里巴巴'],
    ]);
  });

  it('draws a box with a background and border as a shape holding its own text', () => {
    const card = shapes(1).find((s) => s.text.paragraphs.some((p) => text(p).startsWith('A card')))!;
    expect(card.style.fill).toEqual({ type: 'solid', color: { hex: 'e8eff7', alpha: 1 } });
    expect(card.style.line).toEqual({ width: 2, color: { hex: '1f4e79', alpha: 1 }, dash: 'solid' });
    expect(card.style.radii).toEqual([12, 12, 12, 12]);
    expect(card.text.paragraphs[0]!.runs.map((r) => r.text)).toEqual(['A card', '', 'Its text, in one box.']);
    expect(card.text.paragraphs[0]!.runs[1]!.break).toBe(true);
  });

  it('marks Chinese text with its language and asks for its East Asian font', () => {
    const zh = shapes(1).find((s) => text(s.text.paragraphs[0]!).startsWith('中文'))!;
    const run = zh.text.paragraphs[0]!.runs[0]!;
    expect(run.lang).toBe('zh-CN');
    expect(run.font.eastAsian).toMatch(/^#\d+$/);
    expect(deck.fonts[Number(run.font.eastAsian!.slice(1))]).toEqual(expect.objectContaining({ eastAsian: true, lang: 'zh-CN' }));
  });

  it('keeps a raster image’s data, and an SVG’s with a capture for its PNG', () => {
    const pictures = flat(deck.slides[1]!.items).filter((i) => i.kind === 'picture');
    expect(pictures).toHaveLength(2);
    const [png, svg] = pictures.map((p) => (p.kind === 'picture' ? deck.images[p.image]! : undefined));
    expect(png!.uri).toMatch(/^data:image\/png;base64,/);
    expect(png!.capture).toBeUndefined();
    expect(svg!.uri).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(deck.captures[svg!.capture!]).toEqual(expect.objectContaining({ slide: 1, mode: 'element', format: 'png' }));
  });

  it('reads the footer, and the page number as a slide-number field', () => {
    const footer = shapes(0).find((s) => s.role === 'footer')!;
    expect(text(footer.text.paragraphs[0]!)).toBe('Fixture footer');
    const number = shapes(1).find((s) => s.role === 'page-number')!;
    expect(number.text.paragraphs[0]!.runs.find((r) => r.field === 'slidenum')?.text).toBe('2');
  });
});
