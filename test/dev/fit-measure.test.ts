import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { chromiumArgs } from '../../src/browser/session.js';
import { main, type CliIo } from '../../src/cli/main.js';
import type { BuildWarning } from '../../src/warnings.js';
import { devProject, enKey } from './dev-project.js';

/**
 * `briefgen dev` as the CLI wires it: every rebuilt deck measured and fitted in the warm browser
 * (one Chromium, shared through --browser-ws with the page under test and a real `briefgen build`).
 */

const listedKey = 'minimal/en/listed';
const epoch = '1700000000';
// Long enough to wrap onto two lines: thirty of them overflow any slide, even at the floor.
const longItems = Array.from({ length: 30 }, (_, i) => `      - title: Item ${i + 1}\n        text: A long explanation that keeps going and going so that this item wraps onto a second line ${i + 1}.\n`).join('');

let browser: Browser;
let page: Page;
let project: ReturnType<typeof devProject>;
let url: string;
let interrupt: (() => void) | undefined;
let devExit: Promise<number>;

const io = (stdout: (text: string) => void): CliIo => ({
  cwd: project.dir,
  env: { SOURCE_DATE_EPOCH: epoch },
  stdout,
  stderr: () => {},
  readStdin: async () => '',
  onInterrupt: (abort) => {
    interrupt = abort;
    return () => {
      interrupt = undefined;
    };
  },
});

interface DeckState {
  key: string;
  version: number;
  slideCount: number;
  measuring: boolean;
  warnings: BuildWarning[];
  fitCss?: string;
  fitNotes: Array<{ slide?: number; message: string }>;
}
const deckState = async (key: string): Promise<DeckState> => {
  const state = (await (await fetch(`${url}api/state`)).json()) as { decks: DeckState[] };
  return state.decks.find((d) => d.key === key)!;
};
/** Waits until the deck is measured at a version newer than `after` (and `also` holds). */
const measured = async (key: string, after: number, also: (deck: DeckState) => boolean = () => true): Promise<DeckState> => {
  for (let i = 0; i < 300; i += 1) {
    const deck = await deckState(key);
    if (deck && deck.version > after && !deck.measuring && also(deck)) return deck;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${key} was not measured`);
};
const frame = () => page.evaluate(() => {
  const doc = (document.getElementById('deck') as HTMLIFrameElement).contentDocument!;
  const list = doc.querySelectorAll('svg[data-marpit-svg]')[1]!.querySelector('section ul')!;
  return { css: doc.getElementById('briefgen-fit')?.textContent ?? '', zoom: getComputedStyle(list).zoom };
});

beforeAll(async () => {
  project = devProject({
    'templates/audiences/listed.yaml': 'description: {en: Listed}\ntemplate: listed\ntheme: plain\nrequires: [trends]\n',
    'templates/decks/listed.hbs':
      '{{> cover}}\n\n---\n\n{{#paginate sections.trends.items per=20 name="sections.trends.items"}}\n## {{@root.sections.trends.title}}\n\n{{#each this}}\n- **{{title}}** {{text}}\n{{/each}}\n{{/paginate}}\n',
  });
  const { path } = await resolveExecutable();
  browser = await puppeteer.launch({ executablePath: path, headless: true, args: [...chromiumArgs], protocolTimeout: 30_000 });
  url = await new Promise<string>((resolve) => {
    devExit = main(['dev', '--port', '0', '--audience', 'brief,listed', '--lang', 'en', '--out', 'out-dev', '--browser-ws', browser.wsEndpoint(), '--quiet'], io((text) => resolve(text.trim())));
  });
  page = await browser.newPage({ type: 'window' });
  await page.setViewport({ width: 1200, height: 700 });
  await page.goto(`${url}?deck=${encodeURIComponent(enKey)}#2`);
  await page.waitForFunction(() => (window as unknown as { __briefgenDev?: { fitVersion: number } }).__briefgenDev?.fitVersion, { timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  interrupt?.();
  await devExit;
  await browser?.close();
  project?.cleanup();
});

describe('briefgen dev measures and fits like the build', { timeout: 60_000 }, () => {
  it('finds nothing to fit in a deck that fits', async () => {
    const deck = await measured(enKey, 0);
    expect(deck.warnings).toEqual([]);
    expect(deck.fitNotes).toEqual([]);
    expect(await page.$eval('#warnings', (el) => el.textContent)).toBe('No warnings.');
    expect(await page.$eval('#fit-section', (el) => (el as HTMLElement).hidden)).toBe(false);
    expect((await frame()).css).toBe('');
  });

  it('shows the overflow of an overlong data edit in the panel, and the fitted slide in the preview', async () => {
    const before = (await deckState(enKey)).version;
    project.edit('content/minimal/en.yaml', /    items:\n[\s\S]*$/, `    items:\n${longItems}`);
    const deck = await measured(enKey, before);
    expect(deck.warnings.map((w) => [w.code, w.slide])).toEqual([['overflow', 2]]);
    expect(deck.warnings[0]!.message).toMatch(/^<li> ".+" \(in <ul>\) is \d+ px too tall, even at 75% \(the floor\); from template decks\/brief\.hbs$/);
    await page.waitForFunction(() => document.getElementById('warnings')?.textContent?.includes('too tall, even at 75%'), { polling: 50, timeout: 10_000 });
    expect(await page.$eval('#warnings li[data-slide="2"] .tag', (el) => el.textContent)).toBe('overflow · slide 2');
    expect(await page.$eval('#fit-notes', (el) => el.textContent)).toBe('slide 2shrunk to 75%, still too big');
    // The preview's slide 2 carries the very CSS the export prints with.
    await page.waitForFunction(() => (document.getElementById('deck') as HTMLIFrameElement).contentDocument?.getElementById('briefgen-fit')?.textContent, { timeout: 10_000 });
    const shown = await frame();
    expect(shown.css).toBe(deck.fitCss);
    expect(shown.css).toContain('zoom: 0.75');
    expect(shown.zoom).toBe('0.75');
  });

  it('says in the panel when the export re-splits a list that the preview shows as composed', async () => {
    // Cover + runs of 20 and 10 as composed (after the edit above); 20 do not fit even at the floor.
    const deck = await measured(listedKey, 0, (d) => d.slideCount === 3);
    const resplit = deck.fitNotes.find((n) => n.message.includes('re-splits'));
    expect(resplit).toMatchObject({ slide: 2, message: expect.stringMatching(/^list sections\.trends\.items does not fit: the export re-splits it, \d+ items per slide \(the preview does not\)$/) });
    expect(deck.fitNotes.at(-1)!.message).toMatch(/^the export has \d+ slides, the preview 3; warnings number the exported slides$/);
  });

  it('exports from the preview exactly what briefgen build writes for the same decks', async () => {
    const exported: Record<string, { ok: boolean; slides: number; files: string[]; warnings: BuildWarning[] }> = {};
    for (const key of [enKey, listedKey]) {
      exported[key] = await (await fetch(`${url}api/export?deck=${encodeURIComponent(key)}`, { method: 'POST' })).json();
      expect(exported[key]!.ok).toBe(true);
    }
    let json = '';
    const code = await main(['build', '--audience', 'brief,listed', '--lang', 'en', '--out', 'out-build', '--browser-ws', browser.wsEndpoint(), '--no-cache', '--json', '--quiet'], { ...io((text) => (json += text)), onInterrupt: undefined });
    expect(code).toBe(0);
    const summary = JSON.parse(json) as { decks: Array<{ key: string; slides: number }>; warnings: BuildWarning[] };

    for (const key of [enKey, listedKey]) {
      const dir = join(...key.split('/'));
      const files = readdirSync(project.path(join('out-build', dir))).sort();
      expect(files.filter((f) => f.endsWith('.png')).length).toBeGreaterThan(1);
      expect(exported[key]!.files.map((f) => f.split(/[\\/]/).at(-1)).sort()).toEqual(files);
      for (const file of files) {
        const built = readFileSync(project.path(join('out-build', dir, file)));
        const live = readFileSync(project.path(join('out-dev', dir, file)));
        expect(live.equals(built), `${key}: ${file}`).toBe(true);
      }
      expect(exported[key]!.slides).toBe(summary.decks.find((d) => d.key === key)!.slides);
      // The panel predicted the build's warnings, word for word.
      const buildWarnings = summary.warnings.filter((w) => w.deck === key);
      expect(exported[key]!.warnings).toEqual(buildWarnings);
      expect((await deckState(key)).warnings).toEqual(buildWarnings);
    }
    // The re-split deck really has more slides than the preview shows.
    expect(exported[listedKey]!.slides).toBeGreaterThan(3);
    const pdf = readFileSync(project.path('out-build/minimal/en/listed/minimal-en-listed.pdf'), 'latin1');
    expect(pdf.match(/\/Type\s*\/Page\b/g)?.length).toBe(exported[listedKey]!.slides);
  });
});
