import { deckExporter, exportDeckArtifacts } from '../build/export.js';
import type { FitOutcome } from '../fit/auto-fit.js';
import { silentLogger, type Logger } from '../log.js';
import type { DeckMeasure } from './dev-server.js';
import { fitNotes } from './fit-notes.js';

export interface FitMeasureOptions {
  /** false (`--no-fit`): measure and warn, shrink and re-split nothing, like `briefgen build --no-fit`. */
  fitAuto?: boolean;
  logger?: Logger;
}

/**
 * The live preview's slide-fit measurer: each rebuilt deck is measured, fitted and, when a list
 * still overflows, re-split in the warm browser, exactly as `briefgen build` would (same fit
 * options, same passes), but without a PDF or PNG. It returns the build's warnings, the fit CSS of
 * the deck on screen (its first page load) and notes on what the export changes beyond that.
 */
export function createFitMeasure(options: FitMeasureOptions = {}): DeckMeasure {
  const fitAuto = options.fitAuto ?? true;
  const logger = options.logger ?? silentLogger;
  return async (session, { deck: live, allowedRoots, signal }) => {
    // The deck carries the live build's fit options; this measurer's --no-fit has the last word.
    const deck = { ...live.deck, fit: live.deck.fit && { ...live.deck.fit, autoFit: live.deck.fit.autoFit && fitAuto } };
    const { exporter } = deckExporter({ session: async () => session });
    let shown: FitOutcome | undefined;
    const measured = await exportDeckArtifacts(
      deck,
      { formats: new Set(), allowedRoots, measure: true, fitAuto },
      async (request) => {
        // A newer version is on its way: skip the page loads left (a re-split takes more).
        signal.throwIfAborted();
        const result = await exporter(request);
        shown ??= result.inspected;
        return result;
      },
      logger,
    );
    if (!shown || !measured.fit) return { warnings: measured.warnings };
    return {
      warnings: measured.warnings,
      css: shown.css,
      notes: fitNotes(shown, measured.fit, { shown: deck.rendered.slideCount, exported: measured.rendered.slideCount }),
    };
  };
}
