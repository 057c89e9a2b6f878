import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { menuFamily, readSlides } from '../../src/pptx/read-slides.js';
import type { DeckLayout, LayoutItem } from '../../src/pptx/slide-layout.js';
import { deckHtml } from '../browser/deck-fixture.js';

const markdown = readFileSync(new URL('../fixtures/pptx/deck.md', import.meta.url), 'utf8');
let session: BrowserSession;
let layout: DeckLayout;
let after: { capture: boolean; probes: number; classes: number; html: string };
let before: string;

const flat = (items: LayoutItem[]): LayoutItem[] => items.flatMap((item) => (item.kind === 'group' ? [item, ...flat(item.items)] : [item]));

beforeAll(async () => {
  session = createBrowserSession({ poolSize: 1 });
  await session.withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 });
    await page.setContent(deckHtml(markdown).html, { waitUntil: 'load' });
    const slides = await page.evaluate(async () => {
      document.documentElement.dataset.export = '';
      await document.fonts.ready;
      return Array.from(document.querySelectorAll('svg[data-marpit-svg]'), (svg) => {
        const r = svg.getBoundingClientRect();
        return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
      });
    });
    before = await page.screenshot({ encoding: 'base64', clip: { x: 0, y: 720, width: 1280, height: 720 } });
    layout = await readSlides(page, slides, { notesSelector: 'aside[data-slide="{n}"]' });
    after = await page.evaluate(() => ({
      capture: document.documentElement.hasAttribute('data-pptx-capture'),
      probes: document.querySelectorAll('[data-pptx-probe]').length,
      classes: document.querySelectorAll('.pptx-cap-path, .pptx-cap-element, .pptx-cap-background').length,
      html: '',
    }));
    after.html = await page.screenshot({ encoding: 'base64', clip: { x: 0, y: 720, width: 1280, height: 720 } });
  });
}, 60_000);
afterAll(() => session?.close());

describe('readSlides', () => {
  it('names the fonts the browser drew each run with, Latin and East Asian', () => {
    const runs = layout.slides.flatMap((s) => flat(s.items)).flatMap((i) => (i.kind === 'shape' && i.text ? i.text.paragraphs.flatMap((p) => p.runs) : []));
    expect(runs.length).toBeGreaterThan(10);
    for (const run of runs) expect(run.font.latin).not.toMatch(/^#|^$/);
    const zh = runs.find((r) => r.text.startsWith('中文'))!;
    expect(zh.font.eastAsian).toMatch(/CJK/);
  });

  it('takes the PNG of an SVG from the page, at its size, with a transparent page behind it', () => {
    const svg = layout.images.find((i) => i.svg)!;
    expect(new TextDecoder().decode(svg.svg)).toContain('<rect width="40" height="20"');
    const png = PNG.sync.read(Buffer.from(svg.bytes));
    expect([png.width, png.height]).toEqual([svg.width, svg.height]);
    expect(png.width).toBeGreaterThan(90);
    // Its middle is the SVG's blue, fully opaque; the raster image keeps its own bytes.
    const middle = (Math.floor(png.height / 2) * png.width + Math.floor(png.width / 2)) * 4;
    expect([...png.data.subarray(middle, middle + 4)]).toEqual([0x1f, 0x4e, 0x79, 255]);
    expect(layout.images.find((i) => !i.svg)!.type).toBe('png');
  });

  it('leaves the page as it found it: no capture mode, probes or marks, the same pixels', () => {
    expect(after.capture).toBe(false);
    expect(after.probes).toBe(0);
    expect(after.classes).toBe(0);
    expect(after.html).toBe(before);
  });
});

describe('menuFamily', () => {
  it.each([
    ['Noto Sans CJK SC', 'NotoSansCJKsc-Regular', 'Noto Sans CJK SC'],
    ['Noto Sans CJK SC', 'NotoSansCJKsc-Bold', 'Noto Sans CJK SC'],
    ['Noto Sans CJK SC', 'NotoSansCJKsc-Medium', 'Noto Sans CJK SC Medium'],
    ['Source Sans 3', 'SourceSans3-SemiBoldItalic', 'Source Sans 3 SemiBold'],
    ['Noto Serif', 'NotoSerif-BoldItalic', 'Noto Serif'],
    ['Liberation Serif', 'LiberationSerif', 'Liberation Serif'],
  ])('%s (%s) is %s in a font menu', (family, postScript, expected) => expect(menuFamily(family, postScript)).toBe(expected));
});
