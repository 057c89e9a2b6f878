import { join, relative } from 'node:path';
import { exportDeck } from '../browser/export-deck.js';
import type { BrowserSession } from '../browser/session.js';
import { ArtifactKind, removeStaleSlides, writeArtifact, type Artifact } from '../output/write-artifacts.js';
import { deckOutputDir, type Format } from '../pipeline.js';
import { WarningCode, type BuildWarning } from '../warnings.js';
import type { LiveDeck } from './live-build.js';

export interface LiveExportOptions {
  outDir: string;
  formats: ReadonlySet<Format>;
  /** Folders the deck may load files from; relative URLs resolve against the first. */
  allowedRoots: string[];
}

export interface LiveExportResult {
  key: string;
  /** The deck's output folder. */
  dir: string;
  /** Files written, relative to the output folder. */
  files: string[];
  warnings: BuildWarning[];
  ms: number;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Exports the deck on screen into the usual `out/<report>/<lang>/<audience>/` folder, on the dev
 * server's warm browser. `out/manifest.json` stays as the last full build wrote it: it describes a
 * run, and one deck exported from the preview is not one.
 */
export async function exportLiveDeck(session: BrowserSession, deck: LiveDeck, options: LiveExportOptions): Promise<LiveExportResult> {
  const started = performance.now();
  const { job, rendered } = deck;
  const dir = deckOutputDir(options.outDir, job);
  const file = (ext: string) => join(dir, `${job.report.id}-${job.report.language}-${job.profile.name}.${ext}`);
  const artifacts: Artifact[] = [];
  const warnings = [...deck.warnings.filter((w) => w.code !== WarningCode.blockedRequest)];
  if (options.formats.has('md')) artifacts.push({ path: file('md'), kind: ArtifactKind.markdown, bytes: utf8(deck.markdown) });
  if (options.formats.has('html')) artifacts.push({ path: file('html'), kind: ArtifactKind.html, bytes: utf8(rendered.html) });
  if (options.formats.has('pdf') || options.formats.has('png')) {
    const briefing = job.report.briefing;
    const exported = await exportDeck(session, {
      html: rendered.html,
      width: rendered.width,
      height: rendered.height,
      slideCount: rendered.slideCount,
      formats: { pdf: options.formats.has('pdf'), png: options.formats.has('png') },
      allowedRoots: options.allowedRoots,
      pdfMetadata: {
        title: briefing.meta.title,
        author: briefing.meta.publishers.join(', '),
        subject: job.profile.description[job.report.language] ?? job.profile.name,
        keywords: briefing.meta.keywords,
        language: job.report.language,
        creator: 'briefgen',
      },
    });
    if (exported.pdf) artifacts.push({ path: file('pdf'), kind: ArtifactKind.pdf, bytes: exported.pdf });
    exported.pngs.forEach((bytes, index) => {
      artifacts.push({ path: join(dir, `slide-${String(index + 1).padStart(2, '0')}.png`), kind: ArtifactKind.png, bytes });
    });
    for (const url of exported.blockedUrls) {
      warnings.push({ code: WarningCode.blockedRequest, deck: deck.key, message: `blocked a request to ${url} (only local files and data: URIs load)` });
    }
  }
  for (const artifact of artifacts) await writeArtifact(artifact);
  if (options.formats.has('png')) await removeStaleSlides(dir, new Set(artifacts.filter((a) => a.kind === ArtifactKind.png).map((a) => a.path)));

  const files = artifacts.map((a) => relative(options.outDir, a.path));
  return { key: deck.key, dir, files, warnings, ms: performance.now() - started };
}
