import type { ExportRequest, ExportResult } from '../browser/export-deck.js';
import type { RenderedDeck } from '../render/render-deck.js';
import { fitSlides, type FitOptions, type FitOutcome } from './auto-fit.js';
import { injectFitCss } from './fit-css.js';
import type { SplitOverrides } from '../compose/paginate.js';
import { planSplits } from './split-plan.js';

/** A deck to measure, fit and (when formats ask for it) export. */
export interface FitDeckRequest {
  markdown: string;
  rendered: RenderedDeck;
  /** Everything exportDeck needs besides the deck itself. */
  export: Omit<ExportRequest, 'html' | 'width' | 'height' | 'slideCount' | 'inspect'>;
  fit: FitOptions;
  /**
   * Composes and renders the deck again with fewer items per slide for the given lists. Without
   * it, lists are never re-split by measurement.
   */
  recompose?: (overrides: SplitOverrides) => { markdown: string; rendered: RenderedDeck };
}

export interface FittedDeck {
  /** The final deck: re-composed if a list was re-split. */
  markdown: string;
  rendered: RenderedDeck;
  /** `rendered.html` with the fit applied: what to write as the deck's HTML. */
  html: string;
  exported: ExportResult<FitOutcome>;
  fit: FitOutcome;
  /** Lists re-split by measurement, and their items per slide. */
  splits: SplitOverrides;
  /** Page loads it took (1 unless a list was re-split). */
  passes: number;
  /** Milliseconds spent measuring and fitting, over all passes. */
  fitMs: number;
}

/**
 * One page load of a deck, fitted in the page: the browser's export request with slide fit as its
 * inspection, and the fit options as plain data (a cache keys on them).
 */
export type FitExportRequest = ExportRequest<FitOutcome> & { fit: FitOptions };

/** Runs one export: `exportDeck` on a session, perhaps behind a cache. */
export type Exporter = (request: FitExportRequest) => Promise<ExportResult<FitOutcome>>;

/** At most this many compose passes per deck: each one re-splits only lists that still overflow. */
const maxPasses = 4;

/**
 * Loads the deck once, measures and fits every slide, and exports it in the same page. When a
 * slide from a `paginate` list still overflows at the floor, the deck is re-composed with fewer
 * items per slide and loaded again (the first page load then skips the PDF and PNGs).
 */
export async function exportFitted(request: FitDeckRequest, exporter: Exporter): Promise<FittedDeck> {
  let { markdown, rendered } = request;
  let overrides: SplitOverrides = new Map();
  let fitMs = 0;
  for (let pass = 1; ; pass += 1) {
    // Set by shouldCapture, inside the page load, once the measurement is in.
    const decision: { split?: Map<string, number> } = {};
    const canSplit = request.recompose !== undefined && request.fit.autoFit && pass < maxPasses;
    const exported = await exporter({
      ...request.export,
      html: rendered.html,
      width: rendered.width,
      height: rendered.height,
      slideCount: rendered.slideCount,
      fit: request.fit,
      inspect: {
        run: (page) => fitSlides(page, request.fit),
        capture: (outcome) => {
          decision.split = canSplit ? planSplits(outcome, overrides) : undefined;
          return decision.split === undefined;
        },
      },
    });
    const fit = exported.inspected;
    if (!fit) throw new Error('the exporter returned no measurement');
    fitMs += fit.ms;
    if (decision.split === undefined) {
      return { markdown, rendered, html: injectFitCss(rendered.html, fit.css), exported, fit, splits: overrides, passes: pass, fitMs };
    }
    overrides = decision.split;
    ({ markdown, rendered } = request.recompose!(overrides));
  }
}
