import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSession } from '../../src/browser/session.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * Hostile lengths through the real pipeline and browser: a paragraph about 6x what a slide holds,
 * one about 1.3x, a 40-item list, a table made wide by unbreakable names and a URL, a URL in a
 * narrow column, and long Chinese runs without spaces. Each must end fitted or split with no
 * overflow; a template that cannot split must fail `--strict`, naming the slide. The output is
 * checked by code that shares nothing with the fitter: text positions in a fresh page, and pixels.
 */

const fixtures = fileURLToPath(new URL('../fixtures/fit/', import.meta.url));
const theme = fileURLToPath(new URL('../../templates/themes/briefing.css', import.meta.url));
const t = testdir({});
const templates = t.path('templates');
const out = t.path('out');
const data = join(fixtures, 'data', 'hostile');
const deckDir = (lang: string, audience: string) => join(out, 'hostile', lang, audience);

interface Summary {
  ok: boolean;
  decks: Array<{ key: string; slides: number; fit?: { minScale: number; fitted: Array<{ slide: number; scale: number }>; splits: Array<{ list: string; per: number }>; overflows: Array<{ slide: number; y: number }> } }>;
  warnings: Array<{ code: string; deck: string; slide?: number; message: string }>;
}

let build: Awaited<ReturnType<typeof runCli>>;
let summary: Summary;

beforeAll(async () => {
  cpSync(join(fixtures, 'templates'), templates, { recursive: true });
  mkdirSync(join(templates, 'themes'));
  cpSync(theme, join(templates, 'themes', 'briefing.css'));
  build = await runCli(['build', '-a', 'hostile,rigid', '--data', data, '--templates', templates, '--out', out, '--no-cache', '--strict', '--json', '-j', '2'], { cwd: t.dir });
  summary = JSON.parse(build.stdout) as Summary;
}, 120_000);
afterAll(() => t.cleanup());

/** The warnings among the JSON lines of a --json run's stderr. */
const warningLines = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; level?: string; message?: string })
    .filter((e) => e.event === 'log' && e.level === 'warning')
    .map((e) => e.message!);
const deck = (key: string) => summary.decks.find((d) => d.key === key)!;
const decode = (text: string) => text.replace(/<\/?span[^>]*>|<wbr>/g, '').replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
const slidesOf = (markdown: string) => markdown.split(/^---$/m).slice(2);

describe('hostile lengths, fitted and split', () => {
  it('fails --strict only for the deck that cannot split, naming its slide, and for the slide budget', () => {
    expect(build.code).toBe(1);
    expect(summary.ok).toBe(false);
    const overflow = summary.warnings.filter((w) => w.code === 'overflow');
    expect(overflow.map((w) => `${w.deck} ${w.slide}`).sort()).toEqual(['hostile/en/rigid 2', 'hostile/zh/rigid 2']);
    expect(overflow[0]!.message).toMatch(/^<p> ".+…" is \d+ px too tall, even at 75% \(the floor\); from template decks\/rigid\.hbs$/);
    // Under --json, stderr is JSON lines: the warning is one of them, printed once, as it came
    // (--strict only counts them at the end).
    const warned = warningLines(build.stderr).filter((m) => m.startsWith('hostile/en/rigid slide 2: <p>'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^hostile\/en\/rigid slide 2: <p> "Large models are reshaping/);
    const budget = summary.warnings.filter((w) => w.code === 'slide-budget');
    expect(budget.map((w) => w.deck).sort()).toEqual(['hostile/en/hostile', 'hostile/zh/hostile']);
    expect(budget[0]!.message).toMatch(/^\d+ slides, over the audience's budget of 12$/);
  });

  it('lists the same warnings in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { decks: Array<{ key: string; slides: number; warnings: Array<{ code: string; slide?: number }> }> };
    // The hostile data repeats its sentences on purpose; the content checks say so, and are not what this file tests.
    const fitCodes = new Set(['overflow', 'slide-budget', 'line-break']);
    const codes = Object.fromEntries(manifest.decks.map((d) => [d.key, d.warnings.filter((w) => fitCodes.has(w.code)).map((w) => `${w.code}${w.slide ? `@${w.slide}` : ''}`)]));
    expect(codes).toEqual({
      'hostile/en/hostile': ['slide-budget'],
      'hostile/en/rigid': ['overflow@2'],
      'hostile/zh/hostile': ['slide-budget'],
      'hostile/zh/rigid': ['overflow@2'],
    });
    expect(manifest.decks.find((d) => d.key === 'hostile/en/hostile')!.slides).toBe(deck('hostile/en/hostile').slides);
  });

  it('re-splits the long paragraph and the 40 items by measurement, and shrinks no slide below the floor', () => {
    for (const lang of ['en', 'zh']) {
      const fit = deck(`hostile/${lang}/hostile`).fit!;
      expect(fit.overflows).toEqual([]);
      expect(fit.splits.map((s) => s.list)).toEqual(expect.arrayContaining(['sections.essay.lead', 'sections.items.items']));
      // Forty cards at twelve a slide do not fit: measurement asked for fewer.
      expect(fit.splits.find((s) => s.list === 'sections.items.items')!.per).toBeLessThan(12);
      expect(fit.fitted.length).toBeGreaterThan(0);
      for (const f of fit.fitted) expect(f.scale).toBeGreaterThanOrEqual(0.75);
    }
  });

  it('keeps every sentence and every item, in order, with the continued marker on follow-up slides', () => {
    const source = readFileSync(join(data, 'en.yaml'), 'utf8');
    for (const [lang, title, cont] of [['en', 'A long paragraph', ' (cont.)'], ['zh', '一段很长的文字', '（续）']] as const) {
      const markdown = decode(readFileSync(join(deckDir(lang, 'hostile'), `hostile-${lang}-hostile.md`), 'utf8'));
      const essay = slidesOf(markdown).filter((s) => s.includes(`## ${title}`)).slice(1);
      expect(essay.length).toBeGreaterThan(2);
      expect(essay.slice(1).every((s) => s.includes(`## ${title}${cont}`))).toBe(true);
      if (lang === 'en') {
        const text = essay.map((s) => /\n\n([^\n<#][^\n]*)\n/.exec(s)![1]!.trim()).join(' ');
        expect(source).toContain(`lead: ${text}\n`);
      }
      const numbers = [...markdown.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
      expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
  });

  it('writes the fit into the HTML, and prints a PDF page per slide', () => {
    for (const lang of ['en', 'zh']) {
      const dir = deckDir(lang, 'hostile');
      expect(readFileSync(join(dir, `hostile-${lang}-hostile.html`), 'utf8')).toMatch(/<style data-briefgen-fit>\n[^<]*zoom: 0\.\d+/);
      const info = execFileSync('pdfinfo', [join(dir, `hostile-${lang}-hostile.pdf`)], { encoding: 'utf8' });
      expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(deck(`hostile/${lang}/hostile`).slides);
    }
  });

  it('leaves no text outside the content area when the written HTML is opened afresh (and the check sees the rigid deck overflow)', async () => {
    const session = createBrowserSession({ poolSize: 1, protocolTimeoutMs: 20_000 });
    try {
      for (const lang of ['en', 'zh']) {
        expect(await outsideContent(session, join(deckDir(lang, 'hostile'), `hostile-${lang}-hostile.html`)), lang).toEqual([]);
        expect(await outsideContent(session, join(deckDir(lang, 'rigid'), `hostile-${lang}-rigid.html`))).toEqual(expect.arrayContaining([expect.stringMatching(/^slide 2: /)]));
      }
    } finally {
      await session.close();
    }
  });

  it('paints nothing between the content area and the footer, or right of it, in any PNG or the PDF (and the rigid deck does)', () => {
    const pngs: Array<[string, PNG]> = [];
    for (const lang of ['en', 'zh']) {
      const dir = deckDir(lang, 'hostile');
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.png'))) pngs.push([`${lang}/${name}`, PNG.sync.read(readFileSync(join(dir, name)))]);
    }
    // One PDF page rasterised at the slide size: the PDF shows the fitted state too.
    const pdf = join(deckDir('en', 'hostile'), 'hostile-en-hostile.pdf');
    pngs.push(['en/pdf page 2', PNG.sync.read(execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-scale-to-x', '1280', '-scale-to-y', '720', '-png', pdf]))]);
    expect(pngs.length).toBe(deck('hostile/en/hostile').slides + deck('hostile/zh/hostile').slides + 1);
    expect(pngs.map(([name, png]) => strayPixel(name, png)).filter(Boolean)).toEqual([]);
    const rigid = PNG.sync.read(readFileSync(join(deckDir('en', 'rigid'), 'slide-02.png')));
    expect(strayPixel('rigid', rigid)).toMatch(/^rigid \(\d+, 6[4-7]\d\)$/);
  });
});

/** Deliberately simple and separate from src/fit: lines of text and boxes outside the slide's padding, at 1:1. */
async function outsideContent(session: ReturnType<typeof createBrowserSession>, file: string): Promise<string[]> {
  const html = readFileSync(file, 'utf8');
  return session.withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    return page.evaluate(() => {
      document.documentElement.setAttribute('data-export', '');
      return Array.from(document.querySelectorAll('svg[data-marpit-svg]')).flatMap((svg, index) => {
        const section = svg.querySelector('section')!;
        const s = section.getBoundingClientRect();
        const cs = getComputedStyle(section);
        const inside = (r: DOMRect) =>
          r.left >= s.left + parseFloat(cs.paddingLeft) - 1 &&
          r.right <= s.right - parseFloat(cs.paddingRight) + 1 &&
          r.top >= s.top + parseFloat(cs.paddingTop) - 1 &&
          r.bottom <= s.bottom - parseFloat(cs.paddingBottom) + 1;
        const found: string[] = [];
        const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.trim() || node.parentElement?.closest('header, footer')) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          if (!Array.from(range.getClientRects()).every(inside)) found.push(`slide ${index + 1}: text "${node.textContent.slice(0, 30)}"`);
        }
        for (const el of Array.from(section.querySelectorAll('*'))) {
          const r = el.getBoundingClientRect();
          if (el.closest('header, footer') || r.width * r.height === 0) continue;
          if (!inside(r)) found.push(`slide ${index + 1}: <${el.tagName.toLowerCase()}>`);
        }
        return found;
      });
    });
  });
}

/**
 * The first pixel that differs from the slide background in the band between the content area
 * (which ends at y = 644: 76 px bottom padding) and the footer (from about y = 676), or right of
 * the content (x = 1200).
 */
function strayPixel(name: string, png: PNG): string | undefined {
  expect([png.width, png.height]).toEqual([1280, 720]);
  const at = (x: number, y: number) => png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3);
  const background = at(40, 660);
  // Card shadows are faint; text is not.
  const differs = (x: number, y: number) => at(x, y).some((v, i) => Math.abs(v - background[i]!) > 40);
  const band = (x0: number, x1: number, y0: number, y1: number) => {
    for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) if (differs(x, y)) return `${name} (${x}, ${y})`;
    return undefined;
  };
  return band(60, 1220, 648, 672) ?? band(1204, 1280, 70, 640);
}

describe('--no-fit', () => {
  it('still measures: every hostile slide that overflows is reported, nothing is changed', async () => {
    const result = await runCli(['validate', '-a', 'hostile', '--lang', 'en', '--data', data, '--templates', templates, '--no-fit', '--json'], { cwd: t.dir });
    expect(result.code, result.stderr).toBe(0);
    const measured = JSON.parse(result.stdout) as Summary;
    const fit = measured.decks[0]!.fit!;
    expect(fit.fitted).toEqual([]);
    expect(fit.splits).toEqual([]);
    // Unfitted: the 1.3x paragraph (1), the 6x one (2), ten cards a slide (3-6: forty at most
    // twelve a slide make four balanced runs), the table (7) and the URL in its column (8).
    expect(new Set(fit.overflows.map((o) => o.slide))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(measured.warnings.filter((w) => w.code === 'overflow')).toHaveLength(fit.overflows.length);
    expect(warningLines(result.stderr)).toContainEqual(expect.stringMatching(/^hostile\/en\/hostile slide 3: <li> "Finding \d+ /));
  });
});
