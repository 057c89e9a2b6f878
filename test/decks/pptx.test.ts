import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { runCli } from '../support/run-cli.js';
import { find, packageProblems, readPptx, textBodies, type Pptx, type XmlNode } from '../support/pptx.js';
import { testdir } from '../support/testdir.js';

/**
 * Every shipped deck's PPTX, as an editor and as a viewer sees it. Structure: what PowerPoint
 * requires of the package, every visible string of a slide in its text runs, one text body per
 * block, tables as tables, notes, document properties. Fidelity: LibreOffice Impress (the test
 * oracle, never a dependency of briefgen) renders each PPTX, and each slide is compared with
 * briefgen's own PNG of it.
 */

const root = join(import.meta.dirname, '..', '..');
const epoch = 1718150400;
const t = testdir({});
const out = t.path('out');

interface Deck {
  key: string;
  dir: string;
  stem: string;
  pptx: Pptx;
  slides: SlideText[];
}

/** What the browser shows of one slide: each block's text, its pseudo-element text, its tables. */
interface SlideText {
  blocks: string[];
  generated: string[];
  tables: Array<{ rows: number; columns: number }>;
  notes: string;
}

const decks: Deck[] = [];
const squeeze = (s: string): string => s.replace(/\s+/g, '');
const chars = (s: string): string => [...squeeze(s)].sort().join('');

/** Runs in the page: the visible text of each slide, by block, as the export layout shows it. */
function visibleText(): SlideText[] {
  document.documentElement.dataset.export = '';
  const shown = (el: Element) => {
    const cs = getComputedStyle(el);
    return cs.visibility === 'visible' && el.getClientRects().length > 0 && Number(cs.opacity) > 0;
  };
  const blockOf = (el: Element): Element => {
    for (let a: Element | null = el; a; a = a.parentElement) if (!/^inline/.test(getComputedStyle(a).display)) return a;
    return el;
  };
  const counter = (li: Element) => {
    let n = li.parentElement instanceof HTMLOListElement ? li.parentElement.start : 1;
    for (let s = li.previousElementSibling; s; s = s.previousElementSibling) n++;
    return String(n).padStart(2, '0');
  };
  return Array.from(document.querySelectorAll('svg[data-marpit-svg]'), (svg, index) => {
    const blocks = new Map<Element, string>();
    const generated: string[] = [];
    const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (!node.textContent?.trim() || !shown(parent) || parent.closest('.katex-mathml')) continue;
      const block = blockOf(parent);
      blocks.set(block, (blocks.get(block) ?? '') + node.textContent);
    }
    for (const el of Array.from(svg.querySelectorAll('*'))) {
      if (!shown(el)) continue;
      for (const which of ['::before', '::after']) {
        const pseudo = getComputedStyle(el, which);
        const content = pseudo.content;
        if (content === 'none' || content === 'normal' || pseudo.display === 'none' || pseudo.visibility !== 'visible') continue;
        const text = content.startsWith('counter(') ? counter(el) : (JSON.parse(content.replace(/^"(.*)"$/, '"$1"')) as string);
        if (text.trim()) generated.push(text);
      }
    }
    const tables = Array.from(svg.querySelectorAll('table'), (table) => ({ rows: table.rows.length, columns: Math.max(...Array.from(table.rows, (r) => r.cells.length)) }));
    const notes = document.querySelector(`section.speaker-notes aside[data-slide="${index + 1}"] p`)?.textContent?.trim() ?? '';
    return { blocks: [...blocks.values()], generated, tables, notes };
  });
}

let session: BrowserSession;

beforeAll(async () => {
  const result = await runCli(['-a', 'all', '-f', 'png,pptx,html', '--out', out, '--no-cache', '-q'], { cwd: root, env: { SOURCE_DATE_EPOCH: String(epoch) } });
  expect(result.code, result.stderr).toBe(0);
  session = createBrowserSession({ poolSize: 1 });
  for (const report of readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const lang of readdirSync(join(out, report.name))) {
      for (const audience of readdirSync(join(out, report.name, lang))) {
        const dir = join(out, report.name, lang, audience);
        const stem = `${report.name}-${lang}-${audience}`;
        const slides = await session.withPage(async (page) => {
          await page.setViewport({ width: 1280, height: 720 });
          await page.goto(pathToFileURL(join(dir, `${stem}.html`)).href);
          await page.evaluate(() => document.fonts.ready);
          return page.evaluate(visibleText);
        });
        decks.push({ key: `${report.name}/${lang}/${audience}`, dir, stem, pptx: readPptx(readFileSync(join(dir, `${stem}.pptx`))), slides });
      }
    }
  }
}, 600_000);
afterAll(async () => {
  await session?.close();
  t.cleanup();
});

describe('the PPTX of every shipped deck', () => {
  it('is a package PowerPoint accepts: content types, relationships, ids, schema order, ranges', () => {
    expect(decks.length).toBeGreaterThanOrEqual(11);
    for (const deck of decks) expect(packageProblems(deck.pptx), deck.key).toEqual([]);
  });

  it('has every visible string of each slide in its text runs, and no other text', () => {
    for (const deck of decks) {
      expect(deck.pptx.slides.length, deck.key).toBe(deck.slides.length);
      deck.pptx.slides.forEach((part, i) => {
        const runs = textBodies(deck.pptx.xml(part)).join('');
        const shown = [...deck.slides[i]!.blocks, ...deck.slides[i]!.generated].join('');
        expect(chars(runs), `${deck.key} slide ${i + 1}`).toBe(chars(shown));
      });
    }
  });

  it('keeps each block of text (heading, paragraph, list item, card, cell) in one text body', () => {
    for (const deck of decks) {
      deck.pptx.slides.forEach((part, i) => {
        const bodies = textBodies(deck.pptx.xml(part)).map(squeeze);
        for (const block of deck.slides[i]!.blocks) {
          expect(bodies.some((body) => body.includes(squeeze(block))), `${deck.key} slide ${i + 1}: "${block.slice(0, 40)}"`).toBe(true);
        }
      });
    }
  });

  it('writes tables as native tables with the same rows and columns', () => {
    let tables = 0;
    for (const deck of decks) {
      deck.pptx.slides.forEach((part, i) => {
        const native = find(deck.pptx.xml(part), 'a:tbl').map((tbl) => ({ rows: find(tbl, 'a:tr').length, columns: find(tbl, 'a:gridCol').length }));
        expect(native, `${deck.key} slide ${i + 1}`).toEqual(deck.slides[i]!.tables);
        tables += native.length;
      });
    }
    expect(tables).toBeGreaterThan(0);
  });

  it('puts each slide’s speaker notes on its notes page', () => {
    let notes = 0;
    for (const deck of decks) {
      deck.pptx.slides.forEach((part, i) => {
        const expected = deck.slides[i]!.notes;
        const rels = deck.pptx.text(part.replace('slides/', 'slides/_rels/') + '.rels');
        const target = /Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/.exec(rels)?.[1];
        if (!expected) return expect(target, `${deck.key} slide ${i + 1}`).toBeUndefined();
        notes += 1;
        const body = find(deck.pptx.xml(`ppt/notesSlides/${target}`), 'p:sp').find((sp) => find(sp, 'p:ph')[0]?.attrs.type === 'body')!;
        expect(textBodies(body).join('\n'), `${deck.key} slide ${i + 1}`).toBe(expected);
      });
    }
    expect(notes).toBeGreaterThan(20);
  });

  it('names the report in the document properties, dated from SOURCE_DATE_EPOCH, in the deck’s language', () => {
    for (const deck of decks) {
      const core = deck.pptx.xml('docProps/core.xml');
      const value = (name: string) => find(core, name)[0]?.text;
      expect(value('dc:title'), deck.key).toBeTruthy();
      expect(value('dc:creator'), deck.key).toBeTruthy();
      expect(value('dc:subject'), deck.key).toBeTruthy();
      expect(value('cp:keywords'), deck.key).toBeTruthy();
      expect(value('dc:language'), deck.key).toBe(deck.key.includes('/zh/') ? 'zh-CN' : 'en-US');
      expect(value('dcterms:created'), deck.key).toBe('2024-06-12T00:00:00Z');
    }
  });

  it('sets Chinese runs in an East Asian font with their language, and names the theme fonts', () => {
    const zh = decks.find((d) => d.key === 'china-ai-2024/zh/exec')!;
    const runs = zh.pptx.slides.flatMap((part) => find(zh.pptx.xml(part), 'a:r')).filter((r) => /[\u4e00-\u9fff]/.test(r.children.find((c) => c.name === 'a:t')?.text ?? ''));
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) {
      const rPr = run.children.find((c) => c.name === 'a:rPr')!;
      expect(rPr.attrs.lang).toBe('zh-CN');
      expect(find(rPr, 'a:ea')[0]?.attrs.typeface).toBe('Noto Sans CJK SC');
    }
    const fonts = find(zh.pptx.xml('ppt/theme/theme1.xml'), 'a:minorFont')[0]!;
    expect(fonts.children.map((c) => c.attrs.typeface)).toEqual(['Noto Sans CJK SC', 'Noto Sans CJK SC', 'Noto Sans CJK SC']);
  });

  it('draws the slide size of the deck, the slide number as a field, and lists with native bullets', () => {
    for (const deck of decks) {
      const size = find(deck.pptx.xml('ppt/presentation.xml'), 'p:sldSz')[0]!;
      expect([size.attrs.cx, size.attrs.cy], deck.key).toEqual(['12192000', '6858000']);
    }
    for (const deck of decks) {
      deck.pptx.slides.forEach((part, i) => {
        // A slide that shows its number ("3 / 14") has it as a field PowerPoint keeps up to date.
        const numbered = deck.slides[i]!.generated.some((text) => new RegExp(`^${i + 1} / ${deck.slides.length}$`).test(text.trim()));
        const field = find(deck.pptx.xml(part), 'a:fld').find((f) => f.attrs.type === 'slidenum');
        expect(field?.children.find((c) => c.name === 'a:t')?.text, `${deck.key} slide ${i + 1}`).toBe(numbered ? String(i + 1) : undefined);
      });
    }
    const policy = decks.find((d) => d.key === 'china-ai-2024/en/policy')!;
    expect(policy.pptx.slides.map((part) => policy.pptx.text(part)).join('')).toMatch(/<a:buChar char="■"\/>/);
  });
});

/** LibreOffice's rendering of each slide as a 1280 × 720 PNG. */
function renderWithLibreOffice(files: string[], into: string): void {
  // A profile of its own: another soffice on the machine (or a stale lock) never gets in the way.
  execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(join(into, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', into, ...files], { stdio: 'ignore', timeout: 600_000 });
  for (const file of files) {
    const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.pptx$/, '');
    execFileSync('pdftoppm', ['-r', '96', '-png', join(into, `${stem}.pdf`), join(into, stem)]);
  }
}

const readPng = (file: string): PNG => PNG.sync.read(readFileSync(file));

/** The image cropped or padded to `w` × `h` (pdftoppm may give a column more). */
function fit(img: PNG, w: number, h: number): PNG {
  const out = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const si = (Math.min(y, img.height - 1) * img.width + Math.min(x, img.width - 1)) * 4;
    img.data.copy(out.data, (y * w + x) * 4, si, si + 4);
  }
  return out;
}

/** Ink of `img` inside `rect`: how far each pixel is from its column's median (the background, even a gradient's). */
function ink(img: PNG, rect: { x: number; y: number; w: number; h: number }): { x0: number; y0: number; w: number; h: number; at: (x: number, y: number) => number } {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const w = Math.min(img.width, Math.ceil(rect.x + rect.w)) - x0;
  const h = Math.min(img.height, Math.ceil(rect.y + rect.h)) - y0;
  const lum = new Float32Array(Math.max(0, w * h));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = ((y0 + y) * img.width + x0 + x) * 4;
    lum[y * w + x] = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
  }
  const median = Array.from({ length: w }, (_, x) => {
    const column = Array.from({ length: h }, (_, y) => lum[y * w + x]!).sort((a, b) => a - b);
    return column[Math.floor(h / 2)] ?? 0;
  });
  return { x0, y0, w, h, at: (x, y) => Math.max(0, Math.abs(lum[y * w + x]! - median[x]!) - 24) };
}

/**
 * Where the text of a frame sits in `b` compared with `a`: the vertical shift that best lines up
 * the rows of ink, and the horizontal shift of the lines' aligned edge (left, centre or right).
 */
function offsets(a: PNG, b: PNG, rect: { x: number; y: number; w: number; h: number }, align: string): { x: number; y: number; ink: number } {
  // Room around the frame for the other engine's text to land in.
  const around = { x: rect.x - 8, y: rect.y - 8, w: rect.w + 16, h: rect.h + 16 };
  const ia = ink(a, around);
  const ib = ink(b, around);
  const rows = (i: typeof ia) => Array.from({ length: i.h }, (_, y) => Array.from({ length: i.w }, (_, x) => i.at(x, y)).reduce((n, v) => n + v, 0));
  const ra = rows(ia);
  const rb = rows(ib);
  let y = 0;
  let best = -Infinity;
  for (let s = -8; s <= 8; s++) {
    const score = ra.reduce((n, v, i) => n + v * (rb[i + s] ?? 0), 0);
    if (score > best) [y, best] = [s, score];
  }
  const edge = (i: typeof ia) => {
    const columns = Array.from({ length: i.w }, (_, x) => Array.from({ length: i.h }, (_, yy) => i.at(x, yy)).reduce((n, v) => n + v, 0));
    const lit = columns.map((c, x) => (c > 60 ? x : -1)).filter((x) => x >= 0);
    if (lit.length === 0) return 0;
    const left = lit[0]!;
    const right = lit[lit.length - 1]!;
    return align === 'ctr' ? (left + right) / 2 : align === 'r' ? right : left;
  };
  return { x: Math.round(edge(ib) - edge(ia)), y, ink: ra.reduce((n, v) => n + v, 0) / 255 };
}

/**
 * Text boxes of a slide (their frames in slide px, and their text), from the PPTX. Not the slide
 * number: LibreOffice 7.4 draws a paragraph that starts with a field 4 px higher than the same
 * paragraph with plain text (PowerPoint does not), which would hide real offsets in the others.
 */
function textFrames(slide: XmlNode): Array<{ x: number; y: number; w: number; h: number; text: string; align: string }> {
  return find(slide, 'p:sp')
    .filter((sp) => find(sp, 'a:t').some((t) => t.text.trim()) && find(sp, 'p:cNvSpPr')[0]?.attrs.txBox === '1' && find(sp, 'a:fld').length === 0)
    .map((sp) => {
      const off = find(sp, 'a:off')[0]!.attrs;
      const ext = find(sp, 'a:ext')[0]!.attrs;
      const align = find(sp, 'a:pPr')[0]?.attrs.algn ?? 'l';
      return { x: Number(off.x) / 9525, y: Number(off.y) / 9525, w: Number(ext.cx) / 9525, h: Number(ext.cy) / 9525, text: textBodies(sp).join(' ').slice(0, 30), align };
    });
}

describe('the PPTX of every shipped deck, as LibreOffice Impress draws it', () => {
  const shares: Array<{ slide: string; share: number }> = [];
  const shifts: Array<{ slide: string; x: number; y: number; text: string }> = [];

  beforeAll(() => {
    renderWithLibreOffice(decks.map((d) => join(d.dir, `${d.stem}.pptx`)), t.path('lo'));
    for (const deck of decks) {
      deck.pptx.slides.forEach((part, i) => {
        const ours = readPng(join(deck.dir, `slide-${String(i + 1).padStart(2, '0')}.png`));
        const theirs = fit(readPng(t.path(`lo/${deck.stem}-${String(i + 1).padStart(String(deck.slides.length).length, '0')}.png`)), ours.width, ours.height);
        const differing = pixelmatch(ours.data, theirs.data, undefined, ours.width, ours.height, { threshold: 0.1 });
        const slide = `${deck.key} slide ${i + 1}`;
        shares.push({ slide, share: differing / (ours.width * ours.height) });
        for (const frame of textFrames(deck.pptx.xml(part))) {
          const found = offsets(ours, theirs, frame, frame.align);
          if (found.ink > 30) shifts.push({ slide, x: found.x, y: found.y, text: frame.text });
        }
      });
    }
  // Upper bounds for a hang, not a speed check: LibreOffice on a loaded 2-core machine took over 300 s.
  }, 900_000);

  it('differs from briefgen’s PNG of each slide in under 6 % of the pixels', () => {
    expect(shares.length).toBe(decks.reduce((n, d) => n + d.slides.length, 0));
    const over = shares.filter((s) => s.share >= 0.06).map((s) => `${s.slide}: ${(s.share * 100).toFixed(2)} %`);
    expect(over).toEqual([]);
  });

  it('puts every text box within 2 px of where the browser put its text', () => {
    expect(shifts.length).toBeGreaterThan(300);
    // LibreOffice (not PowerPoint, not the browser) adds space between Chinese and Latin text: on
    // the two Chinese quote slides that pushes the quote's last character onto a line of its own,
    // over the citation below it. Looked at and kept as a known difference of the oracle.
    const known = new Set(['china-ai-2024/zh/industry slide 8', 'china-ai-2024/zh/trends slide 2']);
    const off = shifts.filter((s) => (Math.abs(s.y) > 2 || Math.abs(s.x) > 2) && !known.has(s.slide)).map((s) => `${s.slide} \"${s.text}\": ${s.x}, ${s.y}`);
    expect(off).toEqual([]);
  });
});
