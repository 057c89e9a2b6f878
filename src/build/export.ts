import { join } from 'node:path';
import type { ExportRequest, ExportResult, PageRead } from '../browser/export-deck.js';
import type { BuildCache } from '../cache/build-cache.js';
import { exportCacheKey } from '../cache/cache-key.js';
import type { FitOutcome } from '../fit/auto-fit.js';
import type { FitExportRequest } from '../fit/fit-deck.js';
import { resolveFitOptions } from '../fit/fit-options.js';
import { describeFitted, overflowWarnings, summarizeFit } from '../fit/fit-report.js';
import { silentLogger, type Logger } from '../log.js';
import { writeDeckFiles, type DeckListing } from '../output/deck-writer.js';
import { slidePngName } from '../output/layout.js';
import { ArtifactKind, type Artifact } from '../output/write-file.js';
import type { DeckLayout } from '../pptx/slide-layout.js';
import { WarningCode, type BuildWarning } from '../warnings.js';
import { budgetWarning } from './deck.js';
import type { BrowserSession, Deck, DeckFit, DeckResult, ExportedDeck, Format } from './types.js';

export interface DeckExportOptions {
  formats: ReadonlySet<Format>;
  /** Folders the deck may load files from; relative URLs resolve against the first. */
  allowedRoots: string[];
  /** The PDF's dates (`SOURCE_DATE_EPOCH`); absent: Chromium's own. */
  date?: Date;
  /** Measure and fit in the browser even with no PDF or PNG to make (validate, the live preview). */
  measure?: boolean;
  /** For a deck without fit options: false measures only (`--no-fit`). Default true. */
  fitAuto?: boolean;
  /** Also write the speaker notes as `<stem>.txt` (`render --notes`, as Marp CLI's). */
  notes?: boolean;
  /**
   * Where in the deck's source a blocked URL is written (`line 12`), for its warning; `false`: the
   * caller has reported that URL already (a local file outside the allowed folders).
   */
  locate?: (url: string) => string | undefined | false;
}

/** Milliseconds per export stage, summed over decks (`DEBUG=briefgen:timing`). */
export type StageTimings = Record<'waitMs' | 'loadMs' | 'fitMs' | 'pdfMs' | 'pngMs' | 'pptxMs' | 'writeMs', number>;
export const emptyTimings = (): StageTimings => ({ waitMs: 0, loadMs: 0, fitMs: 0, pdfMs: 0, pngMs: 0, pptxMs: 0, writeMs: 0 });

/** One page load as the build keeps it: the browser's export, with the PPTX written from its read. */
export type DeckExport = Omit<ExportResult<FitOutcome>, 'read'> & {
  pptx?: Uint8Array;
  /** What the PPTX could only approximate, by 1-based slide. */
  pptxIssues?: Array<{ slide: number; message: string }>;
};
export type DeckExporter = (request: FitExportRequest) => Promise<DeckExport>;

/** Where slide n's speaker notes are in the rendered HTML (`render/html-document.ts`). */
const notesSelector = 'section.speaker-notes aside[data-slide="{n}"] p';

/** Where the page loads of a run go: the run's browser, behind the build cache when there is one. */
export interface ExportContext {
  /** The run's browser session, started on first call (a {@link BrowserLease}'s `get`). */
  session: () => Promise<BrowserSession>;
  cache?: { store: BuildCache; key: { fingerprint: string; browser: string } };
  timings?: StageTimings;
  /** The run's manifest journal: each deck leaves the manifest while its files change. */
  journal?: DeckListing['journal'];
  /** Aborts page loads in flight (Ctrl-C): the run stops at once instead of after its decks. */
  signal?: AbortSignal;
}

/**
 * The exporter of one deck: each page load is looked up in the build cache first (keyed on the
 * deck's HTML, size, formats, roots, PDF metadata and fit options) and exported in the browser only
 * on a miss, the PPTX written from what the page read; `usedCache` tells afterwards whether the
 * cache served it.
 */
export function deckExporter(context: ExportContext): { exporter: DeckExporter; usedCache: () => boolean } {
  let cached = false;
  const exporter: DeckExporter = async (request) => {
    const { inspect: _inspect, read, ...keyed } = request;
    const pptx = read !== undefined;
    const key = context.cache ? exportCacheKey({ ...context.cache.key, ...keyed, formats: { ...keyed.formats, pptx } }) : undefined;
    // What the deck needs of an entry: one that lists other files is a miss, never shipped.
    const shape = { slideCount: request.slideCount, width: request.width, height: request.height, pdf: request.formats.pdf, png: request.formats.png, pptx };
    let exported = key ? await context.cache!.store.lookup<DeckExport>(key, shape) : undefined;
    cached = exported !== undefined;
    if (!exported) {
      const { exportDeck } = await import('../browser/export-deck.js');
      // Timings stay out of the result, and so out of the cache.
      const { timings, read: layout, ...fresh } = await exportDeck(await context.session(), request as ExportRequest<FitOutcome, DeckLayout>, context.signal ? { signal: context.signal } : {});
      if (timings && context.timings) for (const [stage, ms] of Object.entries(timings)) context.timings[stage as keyof typeof timings] += ms;
      exported = fresh;
      if (layout) {
        const started = performance.now();
        const { writePptx } = await import('../pptx/write-pptx.js');
        const meta = request.pdfMetadata;
        exported.pptx = writePptx(layout, { title: meta?.title, author: meta?.author, subject: meta?.subject, keywords: meta?.keywords, language: meta?.language, date: meta?.date });
        exported.pptxIssues = layout.issues.map((issue) => ({ slide: issue.slide + 1, message: issue.message }));
        if (context.timings) context.timings.pptxMs += performance.now() - started;
      }
      // Only a complete export is worth keeping (a measuring pass may skip the capture).
      const complete = (!request.formats.pdf || exported.pdf !== undefined) && (!request.formats.png || exported.pngs.length === request.slideCount) && (!pptx || exported.pptx !== undefined);
      if (key && complete) await context.cache!.store.store(key, exported, shape);
    }
    return exported;
  };
  return { exporter, usedCache: () => cached };
}

/**
 * One deck's files, as `briefgen build` makes them: measured, fitted and (when a list still
 * overflows) re-split in the browser, PDF, PNGs and PPTX taken from the fitted page, Markdown and
 * HTML of the deck as finally composed. The build, validate and the live preview all export through this.
 */
export async function exportDeckArtifacts(deck: Deck, options: DeckExportOptions, exporter: DeckExporter, logger: Logger = silentLogger): Promise<ExportedDeck> {
  const warnings: BuildWarning[] = [];
  const artifacts: Artifact[] = [];
  const file = (ext: string) => join(deck.outputDir, `${deck.stem}.${ext}`);
  // Fitting may re-split a list: the deck written is the one measured last.
  let { markdown, rendered } = deck;
  let html = deck.rendered.html;
  let fit: DeckFit | undefined;
  const formats = { pdf: options.formats.has('pdf'), png: options.formats.has('png') };
  const pptx = options.formats.has('pptx');
  if (formats.pdf || formats.png || pptx || options.measure) {
    const fitOptions = deck.fit ?? resolveFitOptions(undefined, undefined, options.fitAuto ?? true);
    const blocked = new Set<string>();
    const [{ exportFitted }, { slideOutline }, { readSlides }] = await Promise.all([import('../fit/fit-deck.js'), import('../browser/pdf-metadata.js'), pptx ? import('../pptx/read-slides.js') : { readSlides: undefined }]);
    // The PPTX of the page load the build keeps: the last one.
    let last: DeckExport | undefined;
    const fitted = await exportFitted(
      {
        markdown,
        rendered,
        fit: fitOptions,
        ...(deck.recompose ? { recompose: deck.recompose } : {}),
        export: {
          formats,
          allowedRoots: options.allowedRoots,
          pdfMetadata: {
            title: deck.meta.title ?? deck.rendered.title,
            author: deck.meta.author,
            subject: deck.meta.subject,
            keywords: deck.meta.keywords,
            language: deck.meta.language || undefined,
            creator: 'briefgen',
            date: options.date,
          },
          ...(readSlides ? { read: { run: (page, slides) => readSlides(page, slides, { notesSelector }) } satisfies PageRead<DeckLayout> } : {}),
        },
      },
      async (request) => {
        const exported = await exporter({ ...request, pdfMetadata: { ...request.pdfMetadata, outline: slideOutline(request.html, request.slideCount) } });
        for (const url of exported.blockedUrls) blocked.add(url);
        last = exported;
        return exported;
      },
    );
    ({ markdown, rendered, html } = fitted);
    fit = summarizeFit(fitted.fit, fitOptions.minScale, fitted.splits, deck.template);
    const fittedLine = describeFitted(fit);
    logger.debug('fit', `${deck.key}: measured in ${fitted.fitMs} ms over ${fitted.passes} page load(s)${fittedLine ? `; ${fittedLine}` : ''}`);
    const exported = fitted.exported;
    if (exported.pdf) artifacts.push({ path: file('pdf'), kind: ArtifactKind.pdf, bytes: exported.pdf });
    exported.pngs.forEach((bytes, index) => {
      artifacts.push({ path: join(deck.outputDir, slidePngName(index)), kind: ArtifactKind.png, bytes });
    });
    if (pptx && last?.pptx) artifacts.push({ path: file('pptx'), kind: ArtifactKind.pptx, bytes: last.pptx });
    for (const issue of last?.pptxIssues ?? []) warnings.push({ code: WarningCode.pptx, deck: deck.key, slide: issue.slide, message: issue.message });
    for (const url of blocked) {
      const where = options.locate?.(url);
      if (where === false) continue;
      warnings.push({ code: WarningCode.blockedRequest, deck: deck.key, message: `${where ? `${where}: ` : ''}blocked a request to ${url} (only local files and data: URIs load)` });
    }
    warnings.push(...overflowWarnings(deck.key, fit));
  }
  const utf8 = (text: string) => new TextEncoder().encode(text);
  if (options.formats.has('md')) artifacts.push({ path: file('md'), kind: ArtifactKind.markdown, bytes: utf8(markdown) });
  if (options.formats.has('html')) artifacts.push({ path: file('html'), kind: ArtifactKind.html, bytes: utf8(html) });
  // One block per slide, in order, a line of `---` between them: the slide a note belongs to is countable.
  if (options.notes) artifacts.push({ path: file('txt'), kind: ArtifactKind.notes, bytes: utf8(`${rendered.notes.join('\n\n---\n\n')}\n`) });
  warnings.push(...budgetWarning(deck.key, rendered.slideCount, deck.meta.maxSlides));
  // Checked on the deck as finally composed (a re-split list numbers the slides anew).
  if (deck.inspect) warnings.push(...deck.inspect(rendered));
  return { markdown, rendered, artifacts, warnings, ...(fit ? { fit } : {}) };
}

/**
 * Exports one deck and writes its files into `outDir`: what a build does to each deck, and what
 * the live preview's export button does to the deck on screen.
 */
export async function exportAndWriteDeck(deck: Deck, outDir: string, options: DeckExportOptions, context: ExportContext, logger: Logger = silentLogger): Promise<DeckResult> {
  const { exporter, usedCache } = deckExporter(context);
  const { rendered, artifacts, warnings, fit } = await exportDeckArtifacts(deck, options, exporter, logger);
  const writeStart = performance.now();
  const record = {
    key: deck.key,
    report: deck.meta.report,
    language: deck.meta.language,
    audience: deck.meta.audience,
    ...(deck.meta.title !== undefined ? { title: deck.meta.title } : {}),
    slides: rendered.slideCount,
    warnings,
    ...(deck.coverage ? { coverage: deck.coverage() } : {}),
  };
  const listing = context.journal ? { listing: { journal: context.journal, deck: record } } : {};
  const records = await writeDeckFiles(outDir, deck.outputDir, artifacts, { slideCount: rendered.slideCount, slides: options.formats.has('png'), ...listing });
  if (context.timings) context.timings.writeMs += performance.now() - writeStart;
  const { coverage, ...listed } = record;
  return { ...listed, artifacts: records, cached: usedCache(), ...(fit ? { fit } : {}), ...(coverage ? { coverage } : {}) };
}
