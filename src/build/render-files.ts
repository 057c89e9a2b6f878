import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { defaultPoolSize } from '../browser/session.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import { silentLogger } from '../log.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { mapLimit } from '../util/map-limit.js';
import { formatWarning } from '../warnings.js';
import { leaseBrowser } from './browser-lease.js';
import { renderChecked } from './deck.js';
import { emptyTimings, exportAndWriteDeck } from './export.js';
import { loadTemplates } from './inputs.js';
import type { BuildDependencies, BuildOptions, BuildResult, Deck, DeckResult } from './types.js';

export type RenderFilesOptions = Pick<BuildOptions, 'outDir' | 'formats' | 'projectRoot' | 'browser' | 'templatesDir' | 'fit' | 'sourceDateEpoch'>;

/**
 * `briefgen render DECK.md …`: plain Marp Markdown files exported like any deck (PDF, PNGs, HTML)
 * into `out/<name>/`, with the themes of the templates folder registered when there is one.
 */
export async function renderMarkdownFiles(files: readonly string[], options: RenderFilesOptions, deps: BuildDependencies = {}): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const themes = await loadTemplates(options.templatesDir).then(
    (set) => [...set.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file })),
    () => [],
  );
  const allowedRoots = [resolve(options.projectRoot), ...files.map((f) => dirname(resolve(f)))];
  const { createRenderer } = await import('../render/render-deck.js');
  const renderer = createRenderer({ themes, allowedRoots });
  const decks: Deck[] = [];
  for (const file of files) {
    const markdown = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new BriefgenError(ErrorCode.usage, `cannot read ${file}: ${error.code ?? error.message}`);
    });
    const name = basename(file, extname(file));
    decks.push({
      key: file,
      outputDir: join(options.outDir, name),
      stem: name,
      markdown,
      rendered: renderChecked(renderer, { markdown, lang: 'en', baseDir: dirname(resolve(file)) }, file),
      meta: { report: name, language: '', audience: '', keywords: [] },
      warnings: [],
    });
  }
  const formats = new Set([...options.formats].filter((f) => f !== 'md'));
  const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
  const lease = leaseBrowser({ logger, ...options.browser }, deps.openBrowser);
  const context = { session: () => lease.get(), timings: emptyTimings() };
  const results: DeckResult[] = [];
  try {
    await mapLimit(decks, options.browser?.poolSize ?? defaultPoolSize(), async (deck) => {
      deps.signal?.throwIfAborted();
      const result = await exportAndWriteDeck(deck, options.outDir, { formats, allowedRoots, date, fitAuto: options.fit?.auto ?? true }, context, logger);
      for (const warning of result.warnings) logger.warn(formatWarning(warning));
      logger.info(`built ${result.key} (${result.slides} slides) → ${relative(process.cwd(), deck.outputDir) || '.'}`);
      results.push(result);
    });
  } finally {
    await lease.close();
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const manifest = buildManifest(results, { sourceDateEpoch: options.sourceDateEpoch });
  const manifestPath = join(options.outDir, 'manifest.json');
  await writeManifest(manifestPath, manifest);
  return { decks: results, warnings: results.flatMap((d) => d.warnings), coverage: [], skipped: [], manifest, manifestPath, browserStarted: lease.started };
}
