import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { defaultPoolSize } from '../browser/session.js';
import { resolveLimits } from '../data/limits.js';
import { dataBudget, readDataFile } from '../data/read-source.js';
import { silentLogger } from '../log.js';
import { openOutputSession } from '../output/output-session.js';
import { mapWeighted } from '../util/map-limit.js';
import { formatWarning } from '../warnings.js';
import { leaseBrowser } from './browser-lease.js';
import { checkSlideLimit, renderChecked } from './deck.js';
import { emptyTimings, exportAndWriteDeck } from './export.js';
import { loadTemplates } from './inputs.js';
import { measuresSlides, type BuildDependencies, type BuildOptions, type BuildResult, type Deck, type DeckResult } from './types.js';

export type RenderFilesOptions = Pick<BuildOptions, 'outDir' | 'formats' | 'projectRoot' | 'browser' | 'templatesDir' | 'fit' | 'sourceDateEpoch' | 'limits'>;

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
  const limits = resolveLimits(options.limits);
  // The same bounds as data: a Markdown "file" that is /dev/zero must not fill the memory.
  const budget = dataBudget(limits.dataBytes);
  for (const file of files) {
    const markdown = await readDataFile(file, budget, 'Markdown file');
    const name = basename(file, extname(file));
    const rendered = renderChecked(renderer, { markdown, lang: 'en', baseDir: dirname(resolve(file)) }, file);
    checkSlideLimit(file, rendered.slideCount, limits.deckSlides);
    decks.push({
      key: file,
      outputDir: join(options.outDir, name),
      stem: name,
      markdown,
      rendered,
      meta: { report: name, language: '', audience: '', keywords: [] },
      warnings: [],
    });
  }
  const formats = new Set([...options.formats].filter((f) => f !== 'md'));
  const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
  const output = await openOutputSession(options.outDir, { deckDirs: decks.map((d) => d.outputDir), manifest: { sourceDateEpoch: options.sourceDateEpoch }, logger, ...(deps.signal ? { signal: deps.signal } : {}) });
  const lease = leaseBrowser({ logger, ...options.browser }, deps.openBrowser);
  const context = { session: () => lease.get(), timings: emptyTimings(), journal: output.journal, ...(deps.signal ? { signal: deps.signal } : {}) };
  const results: DeckResult[] = [];
  try {
    await mapWeighted(decks, options.browser?.poolSize ?? defaultPoolSize(), limits.deckSlides, (deck) => deck.rendered.slideCount, async (deck) => {
      deps.signal?.throwIfAborted();
      const result = await exportAndWriteDeck(deck, options.outDir, { formats, allowedRoots, date, fitAuto: options.fit?.auto ?? true, measure: measuresSlides(formats) }, context, logger);
      for (const warning of result.warnings) logger.warn(formatWarning(warning));
      logger.info(`built ${result.key} (${result.slides} slides) → ${relative(process.cwd(), deck.outputDir) || '.'}`);
      results.push(result);
    });
    results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const manifest = await output.journal.finish();
    return { decks: results, warnings: results.flatMap((d) => d.warnings), coverage: [], skipped: [], manifest, manifestPath: output.journal.path, browserStarted: lease.started };
  } finally {
    await lease.close();
    await output.close();
  }
}
