import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { chromiumArgs } from '../../src/browser/session.js';
import { createRenderer } from '../../src/render/render-deck.js';
import { testdir } from '../support/testdir.js';

// The HTML deck as a presenter opens it: a file in a real browser window, keyboard, touch and a second window.
const t = testdir({});
let browser: Browser;
let url: string;

beforeAll(async () => {
  const deck = createRenderer({ themes: [], allowedRoots: [t.dir] }).render({
    markdown: ['# One\n\n<!-- Say hello first. -->', '# Two\n\n<!-- Then the middle. -->', '# Three', '# Four\n\n<!-- The end. -->'].join('\n\n---\n\n'),
    lang: 'en',
    baseDir: t.dir,
  });
  writeFileSync(t.path('deck.html'), deck.html);
  url = pathToFileURL(t.path('deck.html')).href;
  browser = await puppeteer.launch({ executablePath: (await resolveExecutable()).path, headless: true, protocolTimeout: 30_000, args: [...chromiumArgs] });
});

afterAll(async () => {
  await browser?.close();
  t.cleanup();
});

async function open(hash = ''): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 800 });
  await page.goto(url + hash, { waitUntil: 'load' });
  return page;
}

/** 1-based numbers of the slides drawn, and the box of the first. */
const drawn = (page: Page) =>
  page.$$eval('svg[data-marpit-svg]', (svgs) =>
    svgs.flatMap((svg, i) => {
      const r = svg.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? [{ slide: i + 1, x: r.x, y: r.y, width: r.width, height: r.height }] : [];
    }),
  );

describe('the HTML deck presents', () => {
  it('shows one slide at a time, fitted and centred in the window, stepped by the keyboard, its number in the URL', async () => {
    const page = await open();
    expect(await drawn(page)).toEqual([{ slide: 1, x: 0, y: 400 - 1000 * (9 / 32), width: 1000, height: 562.5 }]);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([3]);
    expect(await page.evaluate(() => location.hash)).toBe('#3');
    await page.keyboard.press('End');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([4]);
    await page.keyboard.press('ArrowRight');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([4]);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([1]);
    await page.close();
  });

  it('opens at the slide the URL names, and swipes', async () => {
    const page = await open('#2');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([2]);
    // A one-finger swipe, as a touch screen sends it (touchstart, then touchend further along).
    const swipe = (from: number, to: number) =>
      page.evaluate((x0: number, x1: number) => {
        const target = document.querySelector('svg[data-current]')!;
        const touch = (x: number) => new Touch({ identifier: 1, target, clientX: x, clientY: 400 });
        target.dispatchEvent(new TouchEvent('touchstart', { bubbles: true, touches: [touch(x0)], changedTouches: [touch(x0)] }));
        target.dispatchEvent(new TouchEvent('touchend', { bubbles: true, touches: [], changedTouches: [touch(x1)] }));
      }, from, to);
    await swipe(800, 500);
    expect((await drawn(page)).map((d) => d.slide)).toEqual([3]);
    await swipe(200, 600);
    expect((await drawn(page)).map((d) => d.slide)).toEqual([2]);
    await page.close();
  });

  it('shows every slide in the overview (O) and goes back to presenting', async () => {
    const page = await open('#2');
    await page.keyboard.press('o');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([1, 2, 3, 4]);
    await page.keyboard.press('o');
    expect((await drawn(page)).map((d) => d.slide)).toEqual([2]);
    await page.close();
  });

  it('opens a presenter view (P) with the current and next slide, the notes and a timer, in sync both ways', async () => {
    const audience = await open();
    await audience.keyboard.press('ArrowRight');
    const target = browser.waitForTarget((tg) => tg.url().includes('#presenter'));
    await audience.keyboard.press('p');
    const presenter = (await (await target).page())!;
    await presenter.setViewport({ width: 1200, height: 800 });
    await presenter.waitForSelector('.briefgen-presenter-notes');
    const view = () =>
      presenter.evaluate(() => ({
        current: Array.from(document.querySelectorAll('svg[data-current]')).map((s) => s.querySelector('section')?.id),
        next: Array.from(document.querySelectorAll('svg[data-next]')).map((s) => s.querySelector('section')?.id),
        notes: document.querySelector('.briefgen-presenter-notes')?.textContent,
        counter: document.querySelector('.briefgen-presenter-counter')?.textContent,
        timer: document.querySelector('.briefgen-presenter-timer')?.textContent,
      }));
    expect(await view()).toEqual({ current: ['2'], next: ['3'], notes: 'Then the middle.', counter: '2 / 4', timer: expect.stringMatching(/^\d\d:\d\d$/) });
    expect((await drawn(presenter)).map((d) => d.slide)).toEqual([2, 3]);
    // The presenter steps: the audience follows.
    await presenter.keyboard.press('ArrowRight');
    await audience.waitForFunction(() => document.querySelector('svg[data-current] section')?.id === '3');
    expect((await view()).notes).toBe('');
    // The audience steps: the presenter follows.
    await audience.keyboard.press('ArrowRight');
    await presenter.waitForFunction(() => document.querySelector('svg[data-current] section')?.id === '4');
    expect(await view()).toMatchObject({ current: ['4'], next: [], notes: 'The end.', counter: '4 / 4' });
    await presenter.close();
    await audience.close();
  });
});
