import { relative } from 'node:path';
import { exportDeck } from '../browser/export-deck.js';
import type { BrowserSession } from '../browser/session.js';
import type { DeckFit } from '../fit/fit-report.js';
import { silentLogger, type Logger } from '../log.js';
import { ArtifactKind, removeStaleSlides, writeArtifact } from '../output/write-artifacts.js';
import { exportPreparedDeck, prepareDeck, type Format } from '../pipeline.js';
import type { BuildWarning } from '../warnings.js';
import type { LiveDeck } from './live-build.js';

export interface LiveExportOptions {
  outDir: string;
  formats: ReadonlySet<Format>;
  /** Folders the deck may load files from; relative URLs resolve against the first. */
  allowedRoots: string[];
  /** false (`--no-fit`): measure only, as `briefgen build --no-fit` does. Default true. */
  fitAuto?: boolean;
  /** `SOURCE_DATE_EPOCH` in seconds: the PDF's dates, as a build with it sets them. */
  sourceDateEpoch?: number;
  logger?: Logger;
}

export interface LiveExportResult {
  key: string;
  /** The deck's output folder. */
  dir: string;
  /** Files written, relative to the output folder. */
  files: string[];
  /** What a build of this deck would warn about. */
  warnings: BuildWarning[];
  /** Slides exported (more than on screen when fitting re-split a list). */
  slides: number;
  fit?: DeckFit;
  ms: number;
}

/**
 * Exports the deck on screen into the usual `out/<report>/<lang>/<audience>/` folder, on the dev
 * server's warm browser, through the build's own per-deck export (fit, re-split, PDF, PNGs,
 * Markdown, HTML): the files are the ones `briefgen build` writes for the same deck.
 * `out/manifest.json` stays as the last full build wrote it: it describes a run, and one deck
 * exported from the preview is not one.
 */
export async function exportLiveDeck(session: BrowserSession, deck: LiveDeck, options: LiveExportOptions): Promise<LiveExportResult> {
  const started = performance.now();
  const fitAuto = options.fitAuto ?? true;
  const prepared = prepareDeck(deck.job, deck.templates, deck, { outDir: options.outDir, fitAuto });
  const exported = await exportPreparedDeck(
    prepared,
    {
      formats: options.formats,
      allowedRoots: options.allowedRoots,
      fitAuto,
      ...(options.sourceDateEpoch !== undefined ? { date: new Date(options.sourceDateEpoch * 1000) } : {}),
    },
    (request) => exportDeck(session, request),
    options.logger ?? silentLogger,
  );
  for (const artifact of exported.artifacts) await writeArtifact(artifact);
  if (options.formats.has('png')) {
    await removeStaleSlides(prepared.outputDir, new Set(exported.artifacts.filter((a) => a.kind === ArtifactKind.png).map((a) => a.path)));
  }
  return {
    key: deck.key,
    dir: prepared.outputDir,
    files: exported.artifacts.map((a) => relative(options.outDir, a.path)),
    warnings: exported.warnings,
    slides: exported.rendered.slideCount,
    ...(exported.fit ? { fit: exported.fit } : {}),
    ms: performance.now() - started,
  };
}
