import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { chromiumArgs } from '../../src/browser/session.js';
import { createRenderer, type RenderedDeck } from '../../src/render/render-deck.js';

// The document is a contract with the export stage: this loads it in the real browser the way export does.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'render');
const deckDir = path.join(fixtures, 'deck');

let browser: Browser;
let deck: RenderedDeck;

beforeAll(async () => {
  deck = createRenderer({ themes: [], allowedRoots: [fixtures] }).render({
    markdown: [
      '---\nsize: 4:3\npaginate: true\n---',
      '# <!--fit--> Fitted 😀',
      '$$\n\\sum_{i=1}^n i\n$$\n\n![bg right](images/red.png)',
      '---\n\n## 日本語 $x^2$ 🎉',
      '---\n\n## Third',
    ].join('\n\n'),
    lang: 'ja',
    baseDir: deckDir,
  });
  browser = await puppeteer.launch({
    executablePath: (await resolveExecutable()).path,
    headless: true,
    protocolTimeout: 30_000,
    args: [...chromiumArgs],
  });
});

afterAll(async () => {
  await browser?.close();
});

async function load(viewport: { width: number; height: number }): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ type: 'window' });
  const requests: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url === 'about:blank') {
      void request.continue();
    } else {
      requests.push(url);
      void request.abort();
    }
  });
  await page.setViewport(viewport);
  await page.setContent(deck.html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  return { page, requests };
}

async function slideBoxes(page: Page): Promise<{ x: number; y: number; width: number; height: number }[]> {
  return page.$$eval('svg[data-marpit-svg]', (svgs) =>
    svgs.map((svg) => {
      const r = svg.getBoundingClientRect();
      return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
    }),
  );
}

describe('rendered document in Chromium', () => {
  it('in export mode at the slide size, stacks slides at exactly their size with no gaps, loading nothing', async () => {
    expect([deck.width, deck.height, deck.slideCount]).toEqual([960, 720, 3]);
    const { page, requests } = await load({ width: deck.width, height: deck.height });
    await page.evaluate(() => document.documentElement.setAttribute('data-export', ''));
    const boxes = await slideBoxes(page);
    expect(boxes).toEqual([0, 1, 2].map((i) => ({ x: 0, y: i * 720, width: 960, height: 720 })));
    expect(requests).toEqual([]);
    // Emoji images decoded from their data URIs.
    const emoji = await page.$$eval('img[data-marp-twemoji]', (imgs) =>
      imgs.map((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
    );
    expect(emoji).toEqual([true, true]);
    await page.close();
  });

  it('on screen, in the overview (O), centres the slides one under another, scaled to the window width', async () => {
    const { page } = await load({ width: 1000, height: 800 });
    await page.keyboard.press('o');
    const boxes = await slideBoxes(page);
    expect(boxes).toHaveLength(3);
    for (const box of boxes) {
      expect(box.x).toBe(24);
      expect(box.width).toBe(952);
      expect(box.height).toBeCloseTo(952 * 0.75, 0);
    }
    expect(boxes[1]!.y - (boxes[0]!.y + boxes[0]!.height)).toBeCloseTo(24, 0);
    await page.close();
  });

  it('prints one page per slide at the slide size', async () => {
    const { page } = await load({ width: deck.width, height: deck.height });
    await page.evaluate(() => document.documentElement.setAttribute('data-export', ''));
    const pdf = await PDFDocument.load(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const sizes = pdf.getPages().map((p) => [Math.round(p.getWidth()), Math.round(p.getHeight())]);
    // CSS px → PDF points is ×0.75.
    expect(sizes).toEqual([
      [720, 540],
      [720, 540],
      [720, 540],
    ]);
    await page.close();
  });
});
