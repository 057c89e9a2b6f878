import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CDPSession, Page } from 'puppeteer-core';
import { BriefgenError, ErrorCode } from '../errors.js';
import { applyPdfMetadata, type PdfMetadata } from './pdf-metadata.js';
import { recodePng } from './png-recode.js';
import { installRequestGuard } from './request-guard.js';
import { exportingAttribute } from '../render/present-script.js';
import type { BrowserSession } from './session.js';

/** Work done in the loaded page before anything is printed; slide fit plugs in here. */
export interface PageInspection<T> {
  /** What to measure or change: runs once fonts and images are ready, before the PDF and PNGs. */
  run: (page: Page) => Promise<T>;
  /** Sees what `run` found; false skips the PDF and PNGs (the caller will compose again). */
  capture?: (found: T) => boolean;
}

/** Work done in the loaded page after the screenshots, in the export layout (1:1 stacked slides). */
export interface PageRead<L> {
  /** Reads the slides; `slides` are where each one is in the page. The PPTX export plugs in here. */
  run: (page: Page, slides: SlideBox[]) => Promise<L>;
}

export interface ExportRequest<T = unknown, L = unknown> {
  /** Complete self-contained HTML document (from the render stage). */
  html: string;
  /** Slide size in CSS px (e.g. 1280 x 720). */
  width: number;
  height: number;
  slideCount: number;
  formats: { pdf: boolean; png: boolean };
  /**
   * Only these load: data: URIs, about:blank, and file:// URLs under these folders. Everything
   * else is aborted and reported. Relative URLs in the HTML resolve against the first folder.
   */
  allowedRoots: string[];
  pdfMetadata?: PdfMetadata;
  /**
   * Runs in the page after layout and before printing (slide fit measures and shrinks here). With
   * no format at all, the export only inspects.
   */
  inspect?: PageInspection<T>;
  /** Runs after the PDF and PNGs, in the export layout, unless the inspection skipped the capture. */
  read?: PageRead<L>;
}

export interface ExportResult<T = unknown, L = unknown> {
  pdf?: Uint8Array;
  /** One per slide, width x height px, in order. */
  pngs: Uint8Array[];
  /** Unique, in first-seen order. */
  blockedUrls: string[];
  /** What the request's inspection found, when it asked for one. */
  inspected?: T;
  /** What the request's read found, when it asked for one. */
  read?: L;
  /** Where the time went, in milliseconds (for `DEBUG=briefgen:timing` and the benchmark). */
  timings?: ExportTimings;
}

export interface ExportTimings {
  /** Waiting for a pooled page (the pool is busy, or the browser is starting). */
  waitMs: number;
  /** Request guard, viewport, navigation, HTML, fonts and images. */
  loadMs: number;
  /** The request's inspection (slide fit). */
  fitMs: number;
  /** Printing, plus stamping the metadata. */
  pdfMs: number;
  /** Export layout and every slide's screenshot. */
  pngMs: number;
  /** The request's read (the slides for PowerPoint). */
  pptxMs: number;
}

/** Where a slide is in the page in the export layout, CSS px. */
export interface SlideBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const timeoutHint =
  'something in the deck keeps the browser busy (a looping script, a huge image), or the machine ' +
  'is overloaded; the limit is the browser session protocol timeout';

const crashHint =
  'a renderer crashes when it runs out of memory (a huge image, a very long deck) or is killed; ' +
  'the other decks were not affected. Check the system log (dmesg) for the out-of-memory killer';

function isTimeout(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'TimeoutError' || /timed out|timeout/i.test(error.message))
  );
}

/** Errors that mean the deck's renderer crashed or its page went away: the deck is worth one more try. */
interface Crash {
  /** What the renderer said, or how the crash was seen. */
  reason: string;
  /** The export step it happened in. */
  what?: string;
}
const crashes = new WeakMap<BriefgenError, Crash>();
const isCrash = (error: unknown): boolean => error instanceof BriefgenError && crashes.has(error);
const describeCrash = (crash: Crash): string => `${crash.what ? ` while ${crash.what}` : ''} (${crash.reason})`;

function crashError(crash: Crash, cause?: unknown): BriefgenError {
  const error = new BriefgenError(ErrorCode.export, `the browser's renderer for this deck crashed${describeCrash(crash)}`, { hint: crashHint, ...(cause ? { cause } : {}) });
  crashes.set(error, crash);
  return error;
}

/**
 * What can end a page load at any moment, whatever it is waiting for: its renderer crashing
 * (Puppeteer's page `error` event), the page closing under it, or the run being stopped.
 * Each step races its work against these, so a crash fails the step at once instead of after
 * the protocol timeout, and Ctrl-C stops a deck in the middle.
 */
interface PageWatch {
  /** Rejects when the page crashes or closes, or the signal aborts. */
  readonly ended: Promise<never>;
  dispose(): void;
}

function watchPage(page: Page, signal: AbortSignal | undefined): PageWatch {
  let fail: (error: unknown) => void = () => {};
  const ended = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Nobody may be racing it when it rejects (between steps): that is not an unhandled rejection.
  ended.catch(() => undefined);
  const crashed = (error: Error) => fail(crashError({ reason: error.message }, error));
  const closed = () => fail(crashError({ reason: 'its page closed' }));
  const aborted = () => fail(signal!.reason);
  page.on('error', crashed);
  page.on('close', closed);
  if (signal?.aborted) aborted();
  else signal?.addEventListener('abort', aborted, { once: true });
  return {
    ended,
    dispose() {
      page.off('error', crashed);
      page.off('close', closed);
      signal?.removeEventListener('abort', aborted);
    },
  };
}

/**
 * Runs one export step with a deadline, so a hung renderer fails with a message naming the step
 * rather than a bare protocol error (or, for waits no protocol timeout covers, never); a crash or
 * an abort ends it at once.
 */
async function step<T>(what: string, timeoutMs: number, run: () => Promise<T>, watch?: PageWatch): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([run(), deadline, ...(watch ? [watch.ended] : [])]);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    if (isCrash(error)) throw crashError({ ...crashes.get(error as BriefgenError)!, what }, (error as BriefgenError).cause);
    if (error instanceof BriefgenError) throw error;
    if (isTimeout(error)) {
      throw new BriefgenError(
        ErrorCode.export,
        `Export hung while ${what}: no answer from the browser within ${timeoutMs} ms`,
        { cause: error, hint: timeoutHint },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    // A protocol call cut off by the target going away is the crash itself, seen from the call.
    if (/Target closed|Session closed|Target crashed|Page crashed/i.test(message)) throw crashError({ reason: message, what }, error);
    throw new BriefgenError(ErrorCode.export, `Export failed while ${what}: ${message}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Decks at least this long are unloaded from their page after export (the shipped ones have at most 16 slides). */
const largeDeckSlides = 60;

function validate(request: Pick<ExportRequest, 'width' | 'height' | 'slideCount'>): void {
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  if (!positiveInt(request.width) || !positiveInt(request.height) || !positiveInt(request.slideCount)) {
    throw new BriefgenError(
      ErrorCode.export,
      `Invalid export request: width ${request.width}, height ${request.height} and slide count ` +
        `${request.slideCount} must be positive integers`,
    );
  }
}

/** Runs in the page: resolves once web fonts and every <img> are ready to paint. */
async function waitForAssets(): Promise<void> {
  // Reading layout makes the browser request every font the styles need before we ask.
  void document.body?.offsetHeight;
  await document.fonts.ready;
  await Promise.all(
    Array.from(document.images, (img) => {
      // A lazy image off screen would never load, and decode() would wait for it forever.
      if (img.loading === 'lazy') img.loading = 'eager';
      // Failed images reject; they are the request guard's business, not a reason to stop.
      return img.decode().catch(() => undefined);
    }),
  );
}

/** Runs in the page: switches the deck to 1:1 stacked slides and measures each one. */
async function enterExportLayout(): Promise<SlideBox[]> {
  document.documentElement.dataset.export = '';
  void document.body?.offsetHeight;
  await document.fonts.ready;
  return Array.from(document.querySelectorAll('svg[data-marpit-svg]'), (svg) => {
    const rect = svg.getBoundingClientRect();
    return {
      x: rect.left + window.scrollX,
      y: rect.top + window.scrollY,
      width: rect.width,
      height: rect.height,
    };
  });
}

/** Switches to the export layout and checks that every slide is drawn at exactly its size. */
async function exportLayout(
  page: Page,
  request: Pick<ExportRequest, 'width' | 'height' | 'slideCount'>,
  timeoutMs: number,
  watch: PageWatch,
): Promise<SlideBox[]> {
  const boxes = await step('switching to the export layout', timeoutMs, () =>
    page.evaluate(enterExportLayout),
  watch);
  if (boxes.length !== request.slideCount) {
    throw new BriefgenError(
      ErrorCode.export,
      `The rendered deck has ${boxes.length} slides (svg[data-marpit-svg]) but ${request.slideCount} were expected`,
    );
  }
  for (const [index, box] of boxes.entries()) {
    if (Math.abs(box.width - request.width) > 0.5 || Math.abs(box.height - request.height) > 0.5) {
      // Resampling would hide the problem behind blurry slides; the layout contract is 1:1.
      throw new BriefgenError(
        ErrorCode.export,
        `Slide ${index + 1} measures ${round(box.width)} x ${round(box.height)} px in the export ` +
          `layout; expected ${request.width} x ${request.height}`,
        { hint: 'the deck CSS must size svg[data-marpit-svg] at 1:1, stacked, under html[data-export]' },
      );
    }
  }
  return boxes;
}

async function screenshotSlides(
  page: Page,
  request: Pick<ExportRequest, 'width' | 'height' | 'slideCount'>,
  boxes: readonly SlideBox[],
  timeoutMs: number,
  watch: PageWatch,
): Promise<Uint8Array[]> {
  const client = await step('opening a capture session', timeoutMs, () => captureSession(page), watch);
  const pngs: Array<Promise<Uint8Array>> = [];
  try {
    for (const [index, box] of boxes.entries()) {
      const captured = await step(`taking the screenshot of slide ${index + 1}`, timeoutMs, async () => {
        const clip = { x: Math.round(box.x), y: Math.round(box.y), width: request.width, height: request.height, scale: 1 };
        // Scroll the slide into the viewport rather than capture beyond it: capturing beyond the
        // viewport resizes it for the shot, which reflows anything sized in vw/vh units.
        const origin = await page.evaluate(
          (x, y) => {
            window.scrollTo({ left: x, top: y, behavior: 'instant' });
            return { x: window.scrollX, y: window.scrollY };
          },
          clip.x,
          clip.y,
        );
        const inView = origin.x === clip.x && origin.y === clip.y;
        // Straight to the protocol: page.screenshot() holds a lock per browser context, so the
        // pool's pages would take their screenshots one at a time. optimizeForSpeed skips
        // Chromium's slow adaptive PNG encoder (the same pixels come back); recodePng compresses
        // them again on Node's zlib threads while the browser moves on to the next slide.
        const { data } = await client.send('Page.captureScreenshot', {
          format: 'png',
          clip,
          captureBeyondViewport: !inView,
          optimizeForSpeed: true,
        });
        return Buffer.from(data, 'base64');
      }, watch);
      pngs.push(
        recodePng(captured).catch((error: unknown) => {
          throw new BriefgenError(ErrorCode.export, `Export failed while encoding the PNG of slide ${index + 1}: ${(error as Error).message}`, { cause: error });
        }),
      );
    }
  } finally {
    // Every recode settles before the caller may reuse or throw away this page's results.
    await Promise.allSettled(pngs);
  }
  return Promise.all(pngs);
}

const captureSessions = new WeakMap<Page, Promise<CDPSession>>();

/** One extra protocol session per pooled page, opened on its first capture and kept with it. */
function captureSession(page: Page): Promise<CDPSession> {
  let session = captureSessions.get(page);
  if (!session) {
    session = page.createCDPSession();
    captureSessions.set(page, session);
    session.catch(() => captureSessions.delete(page));
  }
  return session;
}

/** How an export is run: stopped by `signal` (Ctrl-C) wherever it is. */
export interface ExportDeckOptions {
  signal?: AbortSignal;
}

/**
 * Exports a rendered deck to PDF and one PNG per slide from a single page load: the PDF prints
 * first (print media), then the page switches to `html[data-export]` for the screenshots and the
 * request's read (the slides for PowerPoint). A renderer that crashes (or a page that closes) under the deck is detected at once; the deck is
 * loaded once more on a fresh page, and a second crash fails it with a message that says so.
 */
export async function exportDeck<T, L = unknown>(session: BrowserSession, request: ExportRequest<T, L>, options: ExportDeckOptions = {}): Promise<ExportResult<T, L>> {
  validate(request);
  if (!request.formats.pdf && !request.formats.png && !request.inspect && !request.read) return { pngs: [], blockedUrls: [] };
  try {
    return await exportOnce(session, request, options.signal);
  } catch (error) {
    if (!isCrash(error) || options.signal?.aborted) throw error;
    // The crashed page was thrown away by the session: this try gets a fresh one.
    try {
      return await exportOnce(session, request, options.signal);
    } catch (again) {
      if (!isCrash(again)) throw again;
      const first = crashes.get(error as BriefgenError)!;
      const second = crashes.get(again as BriefgenError)!;
      throw new BriefgenError(ErrorCode.export, `the browser's renderer for this deck crashed twice: first${describeCrash(first)}, then again on a fresh page${describeCrash(second)}`, {
        cause: again,
        hint: crashHint,
      });
    }
  }
}

async function exportOnce<T, L>(session: BrowserSession, request: ExportRequest<T, L>, signal: AbortSignal | undefined): Promise<ExportResult<T, L>> {
  signal?.throwIfAborted();
  const { width, height } = request;
  const baseDir = request.allowedRoots[0] && path.resolve(request.allowedRoots[0]);

  const timings: ExportTimings = { waitMs: 0, loadMs: 0, fitMs: 0, pdfMs: 0, pngMs: 0, pptxMs: 0 };
  let mark = performance.now();
  const lap = (what: keyof ExportTimings) => {
    const now = performance.now();
    timings[what] += now - mark;
    mark = now;
  };
  const exported = await session.withPage(async (page) => {
    lap('waitMs');
    const timeoutMs = page.getDefaultTimeout();
    const watch = watchPage(page, signal);
    try {
      const guard = await step('enabling the request guard', timeoutMs, () =>
        installRequestGuard(page, request.allowedRoots, { baseDocumentDir: baseDir }),
      watch);
      await step('setting the viewport', timeoutMs, () =>
        page.setViewport({ width, height, deviceScaleFactor: 1 }),
      watch);
      // A fresh document for every deck (a pooled page still holds the last one). Under a file:
      // URL it gets a file: origin, without which Chromium refuses local images outright.
      const baseUrl = baseDir ? pathToFileURL(baseDir).href.replace(/\/?$/, '/') : 'about:blank';
      await step('opening a blank document', timeoutMs, () => page.goto(baseUrl, { waitUntil: 'load' }), watch);
      // Marked as exported before its script runs: the deck then stays stacked instead of presenting.
      await step('loading the deck HTML', timeoutMs, () =>
        page.setContent(request.html.replace(/<html\b/i, `<html ${exportingAttribute}`), { waitUntil: 'load' }),
      watch);
      await step('waiting for fonts and images', timeoutMs, () => page.evaluate(waitForAssets), watch);
      lap('loadMs');
      const inspect = request.inspect;
      const inspected = inspect ? await step('measuring the slides for overflow', timeoutMs, () => inspect.run(page), watch) : undefined;
      lap('fitMs');
      if (inspect && inspect.capture?.(inspected as T) === false) {
        await step('releasing the page', timeoutMs, () => guard.dispose(), watch);
        return { printed: undefined, pngs: [], blockedUrls: guard.blockedUrls(), timeoutMs, inspected, read: undefined };
      }

      const printed = request.formats.pdf
        ? await step('printing the PDF', timeoutMs, () =>
            page.pdf({
              preferCSSPageSize: true,
              printBackground: true,
              width: `${width}px`,
              height: `${height}px`,
              margin: { top: 0, right: 0, bottom: 0, left: 0 },
              timeout: timeoutMs,
            }),
          watch)
        : undefined;
      lap('pdfMs');
      const boxes = request.formats.png || request.read ? await exportLayout(page, request, timeoutMs, watch) : [];
      const pngs = request.formats.png ? await screenshotSlides(page, request, boxes, timeoutMs, watch) : [];
      lap('pngMs');
      const readPage = request.read;
      const read = readPage ? await step('reading the slides for PowerPoint', timeoutMs, () => readPage.run(page, boxes), watch) : undefined;
      lap('pptxMs');
      await step('releasing the page', timeoutMs, () => guard.dispose(), watch);
      // A page's memory grows with its deck: a long one is dropped before the page idles in the
      // pool, where it would otherwise stay beside the next long deck on another page.
      if (request.slideCount >= largeDeckSlides) await step('emptying the page', timeoutMs, () => page.goto('about:blank'), watch);
      return { printed, pngs, blockedUrls: guard.blockedUrls(), timeoutMs, inspected, read };
    } finally {
      watch.dispose();
    }
  });

  const { printed, pngs, blockedUrls, timeoutMs, inspected, read } = exported;
  mark = performance.now();
  const found = { ...(request.inspect ? { inspected: inspected as T } : {}), ...(request.read ? { read: read as L } : {}) };
  if (!printed) return { pngs, blockedUrls, ...found, timings };
  signal?.throwIfAborted();
  // Outside withPage: the page can serve the next deck while Node rewrites this PDF.
  const stamped = await step('writing the PDF metadata', timeoutMs, () =>
    applyPdfMetadata(printed, request.pdfMetadata),
  );
  if (stamped.pageCount !== request.slideCount) {
    throw new BriefgenError(
      ErrorCode.export,
      `The PDF has ${stamped.pageCount} pages but the deck has ${request.slideCount} slides`,
      {
        hint: 'the deck CSS needs `@page { size: <width>px <height>px; margin: 0 }` and one page break per slide',
      },
    );
  }
  lap('pdfMs');
  return { pdf: stamped.bytes, pngs, blockedUrls, ...found, timings };
}
