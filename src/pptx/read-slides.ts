import type { CDPSession, Page } from 'puppeteer-core';
import { recodePng } from '../browser/png-recode.js';
import { collectSlides, type CaptureRequest, type CollectArgs, type CollectedDeck, type FontRequest } from './collect-slides.js';
import type { DeckLayout, LayoutImage, LayoutItem, Paragraph, TextFrame } from './slide-layout.js';

/** Where a slide is in the page in the export layout (CSS px, document coordinates). */
export interface PageSlide {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadSlidesOptions {
  /** Selector of slide n's speaker notes in the page, `{n}` for the 1-based number. */
  notesSelector: string;
}

const targetAttribute = 'data-pptx-target';
const captureAttribute = 'data-pptx-capture';

/**
 * What a capture shows: only its targets, over a transparent page. Everything beside the path from
 * the slide down to a target is made transparent (`opacity`), the boxes on the path lose their own
 * paint, and a background capture also hides the target's content. Hiding with `visibility`
 * instead is not enough: Chromium then skips painting some visible descendants (KaTeX's display math).
 */
const captureCss = `
html[${captureAttribute}] div.marpit .pptx-cap-path {
  background: transparent !important; border-color: transparent !important; box-shadow: none !important; outline-color: transparent !important;
  color: transparent !important; -webkit-text-fill-color: transparent !important; text-decoration-color: transparent !important; text-shadow: none !important;
}
html[${captureAttribute}] div.marpit .pptx-cap-path::before, html[${captureAttribute}] div.marpit .pptx-cap-path::after { opacity: 0 !important; }
html[${captureAttribute}] div.marpit .pptx-cap-path::marker { color: transparent !important; }
html[${captureAttribute}] div.marpit .pptx-cap-path > :not(.pptx-cap-path):not(.pptx-cap-element):not(.pptx-cap-background) { opacity: 0 !important; }
html[${captureAttribute}] div.marpit .pptx-cap-background { color: transparent !important; -webkit-text-fill-color: transparent !important; text-shadow: none !important; }
html[${captureAttribute}] div.marpit .pptx-cap-background > *, html[${captureAttribute}] div.marpit .pptx-cap-background::before, html[${captureAttribute}] div.marpit .pptx-cap-background::after { opacity: 0 !important; }
html[${captureAttribute}] div.marpit .pptx-cap-background::marker { color: transparent !important; }
`;

// Sample text per script: what the probe asks the browser to draw.
const latinSample = 'The quick brown fox 0123456789';
const eastAsianSamples: Record<string, string> = { zh: '永和九年岁在癸丑中文字体', ja: '日本語のテキストかなカナ', ko: '한국어 텍스트 글꼴' };

/**
 * The family a font menu shows for a face: weights beyond regular and bold are families of their
 * own on Windows ("Noto Sans CJK SC Medium"); italic stays the run's attribute.
 */
export function menuFamily(familyName: string, postScriptName: string): string {
  const style = (/-([A-Za-z]+)$/.exec(postScriptName)?.[1] ?? '').replace(/(Italic|Oblique)$/, '');
  if (style === '' || /^(Regular|Bold|Roman|Book|Normal)$/i.test(style)) return familyName;
  return familyName.endsWith(style) ? familyName : `${familyName} ${style}`;
}

/** Runs in the page: adds one hidden-from-view probe per font request and script. */
function addProbes(probes: Array<{ family: string; weight: string; style: string; lang: string; text: string }>): void {
  const box = document.createElement('div');
  box.setAttribute('data-pptx-probes', '');
  box.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;overflow:visible;pointer-events:none';
  for (const probe of probes) {
    const span = document.createElement('span');
    span.setAttribute('data-pptx-probe', '');
    span.lang = probe.lang;
    span.style.cssText = 'position:absolute;left:0;top:0;white-space:nowrap;font-size:16px';
    span.style.fontFamily = probe.family;
    span.style.fontWeight = probe.weight;
    span.style.fontStyle = probe.style;
    span.textContent = probe.text;
    box.append(span);
  }
  document.body.append(box);
}

/** Asks the browser which font it drew each probe with (the one with the most glyphs). */
async function probeFonts(page: Page, cdp: CDPSession, requests: FontRequest[]): Promise<Array<{ latin: string; eastAsian?: string }>> {
  const probes = requests.flatMap((request, index) => {
    const script = request.lang.split('-')[0] ?? 'zh';
    const list: Array<{ index: number; kind: 'latin' | 'eastAsian'; text: string }> = [{ index, kind: 'latin', text: request.sample ?? latinSample }];
    if (request.eastAsian) list.push({ index, kind: 'eastAsian', text: eastAsianSamples[script] ?? eastAsianSamples.zh! });
    return list.map((p) => ({ ...p, family: request.family, weight: request.weight, style: request.style, lang: request.lang }));
  });
  const result = requests.map(() => ({ latin: '' }) as { latin: string; eastAsian?: string });
  if (probes.length === 0) return result;
  await page.evaluate(addProbes, probes);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-pptx-probe]' });
    for (const [i, nodeId] of nodeIds.entries()) {
      const probe = probes[i]!;
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const best = [...fonts].sort((a, b) => b.glyphCount - a.glyphCount)[0];
      const family = best ? menuFamily(best.familyName, best.postScriptName) : (probe.family.split(',')[0] ?? '').replace(/["']/g, '').trim();
      if (probe.kind === 'latin') result[probe.index]!.latin = family;
      else result[probe.index]!.eastAsian = family;
    }
  } finally {
    await cdp.send('CSS.disable').catch(() => undefined);
    await cdp.send('DOM.disable').catch(() => undefined);
    await page.evaluate(() => document.querySelector('[data-pptx-probes]')?.remove());
  }
  return result;
}

function decodeDataUri(uri: string): { type: string; bytes: Uint8Array } | undefined {
  const comma = uri.indexOf(',');
  if (comma < 0) return undefined;
  const head = uri.slice(5, comma);
  const type = (head.split(';')[0] ?? '').toLowerCase();
  const body = uri.slice(comma + 1);
  const bytes = /;base64$/i.test(head) ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
  return { type, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Runs in the page: shows only the given targets (or only their backgrounds), or, with none, everything again. */
function setCapture(attribute: string, targetAttr: string, shown: Array<{ target: string; mode: string }>): void {
  for (const el of Array.from(document.querySelectorAll('.pptx-cap-path, .pptx-cap-element, .pptx-cap-background'))) {
    el.classList.remove('pptx-cap-path', 'pptx-cap-element', 'pptx-cap-background');
    if (el instanceof HTMLElement && el.dataset.pptxColor !== undefined) {
      el.style.cssText = el.dataset.pptxColor;
      delete el.dataset.pptxColor;
    }
  }
  if (shown.length === 0) {
    document.documentElement.removeAttribute(attribute);
    return;
  }
  const targets: Array<[Element, string]> = [];
  for (const { target, mode } of shown) {
    const el = document.querySelector(`[${targetAttr}="${target}"]`);
    if (el) targets.push([el, mode]);
  }
  // Colours as they are now, before the path's transparent text colour would be inherited.
  const colors = targets.map(([el]) => {
    const cs = getComputedStyle(el);
    return [cs.color, cs.webkitTextFillColor] as const;
  });
  targets.forEach(([el, mode], i) => {
    for (let a = el.parentElement; a && !a.classList.contains('marpit'); a = a.parentElement) a.classList.add('pptx-cap-path');
    el.classList.add(`pptx-cap-${mode}`);
    if (mode === 'element' && el instanceof HTMLElement) {
      el.dataset.pptxColor = el.style.cssText;
      el.style.setProperty('color', colors[i]![0], 'important');
      el.style.setProperty('-webkit-text-fill-color', colors[i]![1], 'important');
    }
  });
  document.documentElement.setAttribute(attribute, '');
  void document.body.offsetHeight;
}

/** Captures in rounds of at most one per slide, so a round shows all its targets at once. */
function rounds(captures: readonly CaptureRequest[]): number[][] {
  const out: Array<{ slides: Set<number>; indexes: number[] }> = [];
  captures.forEach((request, index) => {
    let round = out.find((r) => !r.slides.has(request.slide));
    if (!round) {
      round = { slides: new Set(), indexes: [] };
      out.push(round);
    }
    round.slides.add(request.slide);
    round.indexes.push(index);
  });
  return out.map((r) => r.indexes);
}

/** Takes one capture; its PNG encodes while the caller goes on (`encoded`). */
async function capture(page: Page, cdp: CDPSession, request: CaptureRequest, slide: PageSlide): Promise<{ encoded: Promise<Uint8Array> }> {
  const origin = { x: Math.round(slide.x), y: Math.round(slide.y) };
  const clip = { x: origin.x + request.rect.x, y: origin.y + request.rect.y, width: Math.max(1, request.rect.w), height: Math.max(1, request.rect.h), scale: request.scale };
  // The slide in view, as for the slide screenshots: capturing beyond the viewport resizes it,
  // which reflows vw/vh units and skips painting some content (scrolled boxes, KaTeX's math).
  const scrolled = await page.evaluate(
    (x, y) => {
      window.scrollTo({ left: x, top: y, behavior: 'instant' });
      return { x: window.scrollX, y: window.scrollY };
    },
    origin.x,
    origin.y,
  );
  const inView = scrolled.x === origin.x && scrolled.y === origin.y;
  if (request.format === 'jpeg') {
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'jpeg', quality: 92, clip, captureBeyondViewport: !inView });
    return { encoded: Promise.resolve(new Uint8Array(Buffer.from(data, 'base64'))) };
  }
  // Chromium's fast encoder, then a smaller PNG on Node's zlib threads while the browser takes the next one.
  const { data } = await cdp.send('Page.captureScreenshot', { format: 'png', clip, captureBeyondViewport: !inView, optimizeForSpeed: true });
  const encoded = recodePng(Buffer.from(data, 'base64'));
  // Settled by the caller; a failure is reported there, not as an unhandled rejection.
  encoded.catch(() => undefined);
  return { encoded };
}

const pngSize = (bytes: Uint8Array): { width: number; height: number } => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.byteLength >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : { width: 0, height: 0 };
};

function mapFrames(items: LayoutItem[], each: (frame: TextFrame) => void): void {
  for (const item of items) {
    if (item.kind === 'shape' && item.text) each(item.text);
    else if (item.kind === 'group') mapFrames(item.items, each);
    else if (item.kind === 'table') for (const row of item.rows) for (const cell of row.cells) each(cell.text);
  }
}

/**
 * Reads every slide of the deck loaded in `page`, which must be in the export layout with slide
 * fit applied: the DOM as laid out, the fonts the browser really drew with, the images and the
 * pictures of what PowerPoint cannot draw. Leaves the page looking as it was.
 */
export async function readSlides(page: Page, slides: readonly PageSlide[], options: ReadSlidesOptions): Promise<DeckLayout> {
  await page.evaluate((css) => {
    const style = document.createElement('style');
    style.setAttribute('data-pptx-capture-css', '');
    style.textContent = css;
    document.head.append(style);
  }, captureCss);
  const args: CollectArgs = { notesSelector: options.notesSelector, targetAttribute };
  const collected: CollectedDeck = await page.evaluate(collectSlides, args);
  const cdp = await page.createCDPSession();
  try {
    const faces = await probeFonts(page, cdp, collected.fonts);
    const face = (key: string | undefined, kind: 'latin' | 'eastAsian'): string | undefined => {
      if (key === undefined || !key.startsWith('#')) return key;
      const found = faces[Number(key.slice(1))];
      return kind === 'latin' ? found?.latin : (found?.eastAsian ?? found?.latin);
    };
    const resolveParagraph = (p: Paragraph) => {
      for (const run of p.runs) {
        run.font.latin = face(run.font.latin, 'latin') ?? '';
        if (run.font.eastAsian !== undefined) run.font.eastAsian = face(run.font.eastAsian, 'eastAsian');
      }
      if (p.bullet?.font) p.bullet.font = face(p.bullet.font, 'latin');
    };
    for (const slide of collected.slides) mapFrames(slide.items, (frame) => frame.paragraphs.forEach(resolveParagraph));

    const pending = new Map<number, Promise<Uint8Array>>();
    if (collected.captures.length > 0) {
      await cdp.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } });
      try {
        for (const round of rounds(collected.captures)) {
          const requests = round.map((i) => collected.captures[i]!);
          await page.evaluate(setCapture, captureAttribute, targetAttribute, requests.map((r) => ({ target: r.target, mode: r.mode })));
          for (const index of round) {
            const request = collected.captures[index]!;
            const slide = slides[request.slide];
            if (slide) pending.set(index, (await capture(page, cdp, request, slide)).encoded);
          }
        }
      } finally {
        // Every encode settles before the page is handed on or the error goes up.
        await Promise.allSettled(pending.values());
        await page.evaluate(setCapture, captureAttribute, targetAttribute, []);
        await cdp.send('Emulation.setDefaultBackgroundColorOverride', {});
      }
    }
    const captured = new Map<number, Uint8Array>();
    for (const [index, bytes] of pending) captured.set(index, await bytes);
    const images: LayoutImage[] = collected.images.map((image, index) => {
      const png = image.capture !== undefined ? captured.get(image.capture) : undefined;
      const decoded = image.uri ? decodeDataUri(image.uri) : undefined;
      if (decoded && /svg/.test(decoded.type)) {
        const fallback = png ?? new Uint8Array();
        return { type: 'png', bytes: fallback, svg: decoded.bytes, ...pngSize(fallback) };
      }
      if (decoded && /png|jpe?g|gif/.test(decoded.type)) {
        const type = decoded.type.includes('png') ? 'png' : decoded.type.includes('gif') ? 'gif' : 'jpeg';
        return { type, bytes: decoded.bytes, width: image.width, height: image.height };
      }
      if (!png) throw new Error(`image ${index} of the deck has neither data nor a capture`);
      const request = image.capture !== undefined ? collected.captures[image.capture] : undefined;
      if (request?.format === 'jpeg') return { type: 'jpeg', bytes: png, width: request.rect.w * request.scale, height: request.rect.h * request.scale };
      return { type: 'png', bytes: png, ...pngSize(png) };
    });
    return { width: collected.width, height: collected.height, slides: collected.slides, images, issues: collected.issues };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
