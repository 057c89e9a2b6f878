import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { defaultPoolSize } from '../browser/session.js';
import { resolveLimits } from '../data/limits.js';
import { dataBudget, readDataFile } from '../data/read-source.js';
import { silentLogger } from '../log.js';
import { openOutputSession } from '../output/output-session.js';
import type { ThemeSource } from '../render/render-deck.js';
import { mapWeighted } from '../util/map-limit.js';
import { formatWarning, type BuildWarning } from '../warnings.js';
import { leaseBrowser } from './browser-lease.js';
import { checkSlideLimit, renderChecked } from './deck.js';
import { emptyTimings, exportAndWriteDeck } from './export.js';
import { loadTemplates } from './inputs.js';
import { checkMarpSource, decoded, lineOf } from './marp-source-checks.js';
import { readThemeFiles, type RenderSettings } from './render-settings.js';
import { measuresSlides, type BuildDependencies, type BuildOptions, type BuildResult, type Deck, type DeckResult } from './types.js';

export type RenderFilesOptions = Pick<BuildOptions, 'outDir' | 'formats' | 'projectRoot' | 'browser' | 'templatesDir' | 'fit' | 'sourceDateEpoch' | 'limits'> & {
  /** Marp CLI's options, from its flags and config file (see `render-settings.ts`); absent: the defaults. */
  marp?: RenderSettings;
  /** The templates folder was named (`-t`): its themes must load, or the run stops. */
  templatesGiven?: boolean;
  /** Write each deck's speaker notes as `<name>.txt` too (Marp CLI's `--notes`). */
  notes?: boolean;
  /** Warnings found before any deck (the config file's), reported with the run's. */
  warnings?: BuildWarning[];
};

const defaultSettings: RenderSettings = { themeFiles: [], allowLocalFiles: false, imageScale: 1, meta: {} };

/**
 * The themes of a templates folder. An explicit `-t` folder that is not a whole template set may
 * still hold a `themes/` folder of CSS: those are its themes. Anything else about it is an error,
 * never a silent fall-back to the default theme.
 */
async function templateThemes(dir: string, given: boolean): Promise<ThemeSource[]> {
  try {
    const set = await loadTemplates(dir);
    return [...set.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file }));
  } catch (error) {
    if (!given) return [];
    const themes = join(dir, 'themes');
    if (existsSync(themes)) return readThemeFiles([themes], `--templates ${dir}`);
    throw error;
  }
}

/** Output folder names: the file name, or, where two decks share one, their paths from the working folder. */
function outputNames(files: readonly string[], cwd: string): string[] {
  const stems = files.map((f) => basename(f, extname(f)));
  return files.map((file, index) => {
    if (stems.filter((s) => s === stems[index]).length === 1) return stems[index]!;
    const rel = relative(cwd, file);
    const path = rel.startsWith('..') ? file : rel;
    return path.slice(0, path.length - extname(path).length).split(sep).filter((p) => p && p !== '..').join('-');
  });
}

/**
 * `briefgen render DECK.md …`: plain Marp Markdown files exported like any deck (PDF, PNGs, HTML)
 * into `out/<name>/`, rendered by Marp CLI's own engine with the themes of `--theme-set`, the Marp
 * config file and the templates folder registered.
 */
export async function renderMarkdownFiles(files: readonly string[], options: RenderFilesOptions, deps: BuildDependencies = {}): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const settings = options.marp ?? defaultSettings;
  const projectRoot = resolve(options.projectRoot);
  const themeSetFiles = await readThemeFiles(settings.themeFiles, '--theme-set and the Marp config file');
  const themeFile = settings.theme?.file ? await readThemeFiles([settings.theme.file], '--theme') : [];
  const themes = [...(await templateThemes(options.templatesDir, options.templatesGiven ?? false)), ...themeSetFiles, ...themeFile];
  const themeDirs = [...new Set([...settings.themeFiles, ...(settings.theme?.file ? [settings.theme.file] : [])].map((p) => (extname(p) ? dirname(p) : p)))];
  // --allow-local-files: any file may load, as in Marp CLI; the network stays blocked.
  const everywhere = settings.allowLocalFiles ? [resolve('/')] : [];
  const sharedRoots = [projectRoot, ...themeDirs, ...everywhere];
  const [{ createRenderer }, { builtInThemeImports, createMarpCliEngine, marpCliKatexFontsDir }] = await Promise.all([import('../render/render-deck.js'), import('../render/marp-cli-engine.js')]);
  const marp = createMarpCliEngine({ ...(settings.html !== undefined ? { html: settings.html } : {}), ...(settings.engineOptions ? { engineOptions: settings.engineOptions } : {}) });
  const renderer = createRenderer({
    themes,
    allowedRoots: [...sharedRoots, ...files.map((f) => dirname(resolve(f)))],
    engine: { marp, katexFontsDir: marpCliKatexFontsDir, dropImports: builtInThemeImports(marp) },
    // Marp CLI inlines theme CSS into the deck's page: a theme's relative url() means the deck's folder.
    themeUrls: 'deck',
    ...(settings.theme ? { defaultTheme: settings.theme.name ?? themeFile[0]?.name ?? '' } : {}),
  });
  const decks: Array<Deck & { roots: string[] }> = [];
  const limits = resolveLimits(options.limits);
  // The same bounds as data: a Markdown "file" that is /dev/zero must not fill the memory.
  const budget = dataBudget(limits.dataBytes);
  const names = outputNames(files, projectRoot);
  for (const [index, file] of files.entries()) {
    const markdown = await readDataFile(file, budget, 'Markdown file');
    const name = names[index]!;
    const baseDir = dirname(resolve(file));
    const shown = relative(projectRoot, file) || file;
    const rendered = renderChecked(renderer, { markdown, lang: settings.lang ?? 'en', baseDir }, file);
    checkSlideLimit(file, rendered.slideCount, limits.deckSlides);
    const found = checkMarpSource({ deck: shown, cwd: projectRoot, markdown, baseDir, externalUrls: rendered.externalUrls, themeSizes: (theme) => renderer.themeSizes(theme), defaultTheme: renderer.defaultTheme });
    const directives = rendered.directives ?? {};
    decks.push({
      key: shown,
      outputDir: join(options.outDir, name),
      stem: basename(name),
      markdown,
      rendered,
      // Relative URLs the deck's HTML still holds resolve against the deck's folder: first root.
      roots: [baseDir, ...sharedRoots],
      inspect: () => found,
      meta: {
        report: name,
        language: '',
        audience: '',
        keywords: directives.keywords ?? settings.meta.keywords ?? [],
        ...(settings.meta.title ? { title: settings.meta.title } : {}),
        ...((directives.author ?? settings.meta.author) ? { author: directives.author ?? settings.meta.author } : {}),
        ...((directives.description ?? settings.meta.description) ? { subject: directives.description ?? settings.meta.description } : {}),
      },
      warnings: [],
    });
  }
  const formats = new Set([...options.formats].filter((f) => f !== 'md'));
  const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
  const output = await openOutputSession(options.outDir, { deckDirs: decks.map((d) => d.outputDir), manifest: { sourceDateEpoch: options.sourceDateEpoch }, logger, ...(deps.signal ? { signal: deps.signal } : {}) });
  const lease = leaseBrowser({ logger, ...options.browser }, deps.openBrowser);
  const context = { session: () => lease.get(), timings: emptyTimings(), journal: output.journal, ...(deps.signal ? { signal: deps.signal } : {}) };
  const results: DeckResult[] = [];
  for (const warning of options.warnings ?? []) logger.warn(formatWarning(warning));
  try {
    await mapWeighted(decks, options.browser?.poolSize ?? defaultPoolSize(), limits.deckSlides, (deck) => deck.rendered.slideCount, async (deck) => {
      deps.signal?.throwIfAborted();
      // A presenter's deck is drawn as its author made it: measured and reported, shrunk only on --fit.
      const locate = (url: string) => {
        // Local files the guard blocked were reported, with their line, by the source checks.
        if (url.startsWith('file:')) return false;
        const line = lineOf(deck.markdown, [url, decoded(url)]);
        return line === undefined ? undefined : `line ${line}`;
      };
      const result = await exportAndWriteDeck(deck, options.outDir, { formats, allowedRoots: deck.roots, date, fitAuto: options.fit?.auto ?? false, measure: measuresSlides(formats), locate, ...(options.notes ? { notes: true } : {}) }, context, logger);
      for (const warning of result.warnings) logger.warn(formatWarning(warning));
      logger.info(`built ${result.key} (${result.slides} slides) → ${relative(process.cwd(), deck.outputDir) || '.'}`);
      results.push(result);
    });
    results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const manifest = await output.journal.finish();
    const warnings = [...(options.warnings ?? []), ...results.flatMap((d) => d.warnings)];
    return { decks: results, warnings, coverage: [], skipped: [], manifest, manifestPath: output.journal.path, browserStarted: lease.started };
  } finally {
    await lease.close();
    await output.close();
  }
}
