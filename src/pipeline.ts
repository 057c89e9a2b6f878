import { createHash } from 'node:crypto';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { readFile } from 'node:fs/promises';
import { loadReports } from './data/load-reports.js';
import { BriefgenError, ErrorCode } from './errors.js';
import { silentLogger, type Logger } from './log.js';
import { buildManifest, serializeManifest, type Manifest, type ManifestDeck } from './manifest.js';
import { openBuildCache } from './cache/build-cache.js';
import { exportCacheKey } from './cache/cache-key.js';
import { briefgenFingerprint } from './cache/fingerprint.js';
import { browserIdentity } from './cache/browser-identity.js';
import { fastPath, type FastPath } from './cache/fast-path.js';
import { deckOutputDir } from './output/layout.js';
import type { ProgressEvent } from './progress.js';
import { selectShard, type Shard } from './shard.js';
import { ArtifactKind, removeStaleSlides, writeArtifact, type Artifact } from './output/write-artifacts.js';
import { planDecks, type DeckJob, type Selection } from './plan.js';
import type { RenderedDeck, Renderer } from './render.js';
import { loadTemplateSet, type TemplateSet } from './templates/load-template-set.js';
import { mapLimit } from './util/map-limit.js';
import { WarningCode, type BuildWarning } from './warnings.js';
import { defaultPoolSize, type BrowserSession, type BrowserSessionOptions } from './browser/session.js';
import type { ExportRequest, ExportResult } from './browser/export-deck.js';
import type { FitOptions } from './fit/auto-fit.js';
import type { Exporter } from './fit/fit-deck.js';
import { resolveFitOptions } from './fit/fit-options.js';
import { describeFitted, overflowWarnings, summarizeFit, type DeckFit } from './fit/fit-report.js';
import type { SplitOverrides } from './fit/paginate-helper.js';

export const allFormats = ['pdf', 'png', 'html', 'md'] as const;
export type Format = (typeof allFormats)[number];

/** Everything a build needs, resolved by the caller (the CLI or a library user). */
export interface BuildOptions {
  /** Data files or folders; `-` reads standard input. */
  data: readonly string[];
  templatesDir: string;
  outDir: string;
  audiences: Selection;
  languages: Selection;
  formats: ReadonlySet<Format>;
  /** Folders the deck may load files from (templates, data and project). */
  projectRoot: string;
  browser?: BrowserSessionOptions;
  /** `SOURCE_DATE_EPOCH` in seconds: the PDFs' dates, and the one time the manifest records. */
  sourceDateEpoch?: number;
  /** Build only this part of the (report × language × audience) jobs (`--shard K/N`). */
  shard?: Shard;
  /** The build cache of browser exports; absent: none. */
  cache?: { dir: string; read: boolean; write: boolean };
  /**
   * Slide fit. Whenever the browser runs, every slide is measured for overflow; `auto: false`
   * (`--no-fit`) reports it without shrinking or re-splitting anything. Default: auto.
   */
  fit?: { auto: boolean };
}

export interface BuildDependencies {
  logger?: Logger;
  readStdin?: () => Promise<string>;
  /** Aborts between decks; the browser is closed either way. */
  signal?: AbortSignal;
  /** Supplies the browser session (tests and long-lived servers pass a warm one). */
  openBrowser?: (options?: BrowserSessionOptions) => Promise<BrowserSession>;
  /** Told when a deck starts and when it is done (the CLI draws its progress from this). */
  onProgress?: (event: ProgressEvent) => void;
}

export type ArtifactRecord = ManifestDeck['artifacts'][number];

export interface DeckResult extends ManifestDeck {
  /** The PDF and PNGs came from the build cache: no browser work for this deck. */
  cached?: boolean;
  /** What measuring found and fitting changed (when the browser ran). */
  fit?: DeckFit;
}

export interface BuildResult {
  decks: DeckResult[];
  warnings: BuildWarning[];
  manifest: Manifest;
  manifestPath: string;
  /** Whether a browser was started for this run. */
  browserStarted: boolean;
}

const defaultOpenBrowser = async (options?: BrowserSessionOptions): Promise<BrowserSession> => {
  const { createBrowserSession } = await import('./browser/session.js');
  return createBrowserSession(options);
};

/** Loads templates and data and plans the decks: everything before any rendering. */
export async function prepare(options: Pick<BuildOptions, 'data' | 'templatesDir' | 'audiences' | 'languages'>, deps: BuildDependencies = {}): Promise<{ templates: TemplateSet; jobs: DeckJob[] }> {
  const templates = await loadTemplateSet(resolve(options.templatesDir));
  const reports = await loadReports(options.data, deps.readStdin ?? (() => Promise.reject(new Error('no stdin reader'))));
  const jobs = planDecks(reports, templates, options.audiences, options.languages);
  return { templates, jobs };
}

export { deckOutputDir } from './output/layout.js';

/** The whole build: data → compose → render → export → write → manifest. */
export async function build(options: BuildOptions, deps: BuildDependencies = {}): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const dataStart = performance.now();
  const prepared = await prepare(options, deps);
  logger.debug('timing', `data ${JSON.stringify({ ms: Math.round(performance.now() - dataStart) })}`);
  const { templates } = prepared;
  const jobs = selectShard(prepared.jobs, options.shard, (job) => job.key);
  const allowedRoots = allowedRootsFor(options, templates);
  const fast = options.cache ? await fastPath(jobs, templates, options, allowedRoots, logger) : undefined;
  const decks = await prepareDecks(templates, jobs.filter((job) => !fast?.restored.has(job.key)), options, logger);
  return exportAndWrite(decks, options, deps, allowedRoots, fast);
}

/** Compose and render every job, each with its fit options and a way to re-split its lists. */
async function prepareDecks(templates: TemplateSet, jobs: readonly DeckJob[], options: Pick<BuildOptions, 'outDir' | 'projectRoot' | 'templatesDir' | 'data' | 'fit'>, logger: Logger): Promise<PreparedDeck[]> {
  if (jobs.length === 0) return [];
  // Loaded here, not at the top: a warm rebuild restores every deck without Handlebars or Marp.
  const [{ createComposer }, { createRenderer }, { helperRegistry }, { withSplitOverrides }] = await Promise.all([
    import('./compose/compose-deck.js'),
    import('./render.js'),
    import('./compose/helpers.js'),
    import('./fit/paginate-helper.js'),
  ]);
  const composeStart = performance.now();
  const composer = createComposer(templates);
  const composed = jobs.map((job) => ({ job, markdown: composer.compose({ briefing: job.report.briefing, profile: job.profile, lang: job.report.language }) }));
  logger.debug('compose', `composed ${composed.length} decks`);
  logger.debug('timing', `compose ${JSON.stringify({ ms: Math.round(performance.now() - composeStart), decks: composed.length })}`);
  const renderStart = performance.now();
  const renderer = createRenderer({
    themes: [...templates.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file })),
    allowedRoots: allowedRootsFor(options, templates),
  });
  const render = (job: DeckJob, markdown: string) => renderChecked(renderer, markdown, job.report.language, job.report.baseDir, job.report.briefing.meta.title, job.key);
  // A measured overflow in a paginated list re-composes that one deck with fewer items per slide.
  const recompose = (job: DeckJob) => (overrides: SplitOverrides) => {
    const markdown = createComposer(templates, withSplitOverrides(helperRegistry, overrides)).compose({ briefing: job.report.briefing, profile: job.profile, lang: job.report.language });
    return { markdown, rendered: render(job, markdown) };
  };
  const prepared = composed.map(({ job, markdown }) =>
    prepareDeck(job, templates, { markdown, rendered: render(job, markdown), recompose: recompose(job) }, { outDir: options.outDir, fitAuto: options.fit?.auto ?? true }),
  );
  logger.debug('timing', `render ${JSON.stringify({ ms: Math.round(performance.now() - renderStart), decks: prepared.length })}`);
  return prepared;
}

/**
 * One planned deck, composed and rendered, ready to export: where it goes, how it may be fitted,
 * its PDF metadata. `briefgen dev` prepares its decks with this too, so they export like a build's.
 */
export function prepareDeck(
  job: DeckJob,
  templates: TemplateSet,
  deck: { markdown: string; rendered: RenderedDeck; recompose?: PreparedDeck['recompose'] },
  options: { outDir: string; fitAuto: boolean },
): PreparedDeck {
  return {
    key: job.key,
    outputDir: deckOutputDir(options.outDir, job),
    stem: `${job.report.id}-${job.report.language}-${job.profile.name}`,
    markdown: deck.markdown,
    rendered: deck.rendered,
    fit: resolveFitOptions(job.profile.fit, templates.themes.get(job.profile.theme)?.css, options.fitAuto),
    ...(deck.recompose ? { recompose: deck.recompose } : {}),
    template: posixPath(relative(templates.dir, templates.decks.get(job.profile.template)?.file ?? job.profile.template)),
    meta: {
      report: job.report.id,
      language: job.report.language,
      audience: job.profile.name,
      title: job.report.briefing.meta.title,
      author: job.report.briefing.meta.publishers.join(', '),
      subject: job.profile.description[job.report.language] ?? job.profile.name,
      keywords: job.report.briefing.meta.keywords,
      maxSlides: job.profile.maxSlides,
    },
  };
}

/** A deck as `briefgen validate` measured it in the browser: nothing printed, nothing written. */
export interface MeasuredDeck {
  key: string;
  /** Slides after fitting (a re-split list adds slides). */
  slides: number;
  maxSlides?: number;
  fit: DeckFit;
  /** Overflow, slide budget and blocked requests, as a build would report them. */
  warnings: BuildWarning[];
  /** Milliseconds of measuring and fitting (page loads not included). */
  fitMs: number;
}

/** Composes and renders every deck, then measures, fits and re-splits each one in the browser, without a PDF or PNG. */
export async function measureDecks(options: Pick<BuildOptions, 'data' | 'templatesDir' | 'audiences' | 'languages' | 'outDir' | 'projectRoot' | 'browser' | 'fit'>, deps: BuildDependencies = {}): Promise<MeasuredDeck[]> {
  const logger = deps.logger ?? silentLogger;
  const { templates, jobs } = await prepare(options, deps);
  const decks = await prepareDecks(templates, jobs, options, logger);
  const allowedRoots = allowedRootsFor(options, templates);
  const results: MeasuredDeck[] = [];
  if (decks.length === 0) return results;
  const session = await (deps.openBrowser ?? defaultOpenBrowser)({ logger, ...options.browser });
  try {
    const { exportDeck } = await import('./browser/export-deck.js');
    await mapLimit(decks, options.browser?.poolSize ?? defaultPoolSize(), async (deck) => {
      deps.signal?.throwIfAborted();
      const measured = await exportPreparedDeck(deck, { formats: new Set(), allowedRoots, measure: true, fitAuto: options.fit?.auto ?? true }, (request) => exportDeck(session, request), logger);
      const slides = measured.rendered.slideCount;
      results.push({ key: deck.key, slides, ...(deck.meta.maxSlides !== undefined ? { maxSlides: deck.meta.maxSlides } : {}), fit: measured.fit!, warnings: measured.warnings, fitMs: measured.fitMs });
    });
  } finally {
    await session.close();
  }
  return results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A Marp Markdown file exported like any deck (`briefgen render DECK.md`). */
export async function renderMarkdownFiles(files: readonly string[], options: Pick<BuildOptions, 'outDir' | 'formats' | 'projectRoot' | 'browser' | 'templatesDir' | 'fit' | 'sourceDateEpoch'>, deps: BuildDependencies = {}): Promise<BuildResult> {
  const themes = await loadTemplateSet(resolve(options.templatesDir)).then(
    (set) => [...set.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file })),
    () => [],
  );
  const roots = [resolve(options.projectRoot), ...files.map((f) => dirname(resolve(f)))];
  const { createRenderer } = await import('./render.js');
  const renderer = createRenderer({ themes, allowedRoots: roots });
  const decks = [];
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
      rendered: renderChecked(renderer, markdown, 'en', dirname(resolve(file)), undefined, file),
      meta: { report: name, language: '', audience: '', title: undefined, author: undefined, subject: undefined, keywords: [], maxSlides: undefined },
    });
  }
  return exportAndWrite(decks, { ...options, formats: new Set([...options.formats].filter((f) => f !== 'md')) }, deps, roots);
}

/** A composed and rendered deck with everything its export needs to know. */
export interface PreparedDeck {
  key: string;
  outputDir: string;
  stem: string;
  markdown: string;
  rendered: RenderedDeck;
  /** Slide fit options; absent: the defaults. */
  fit?: FitOptions;
  /** Composes and renders the deck again with fewer items per slide for some lists. */
  recompose?: (overrides: SplitOverrides) => { markdown: string; rendered: RenderedDeck };
  /** The deck template, relative to the templates folder, for overflow reports. */
  template?: string;
  meta: {
    report: string;
    language: string;
    audience: string;
    title?: string;
    author?: string;
    subject?: string;
    keywords: string[];
    maxSlides?: number;
  };
}

function renderChecked(renderer: Renderer, markdown: string, lang: string, baseDir: string, title: string | undefined, key: string): RenderedDeck {
  try {
    return renderer.render({ markdown, lang, baseDir, title });
  } catch (error) {
    if (error instanceof BriefgenError) throw error;
    throw new BriefgenError(ErrorCode.render, `rendering ${key} failed: ${(error as Error).message}`, { cause: error });
  }
}

function allowedRootsFor(options: Pick<BuildOptions, 'projectRoot' | 'templatesDir' | 'data'>, templates: TemplateSet): string[] {
  const roots = new Set([resolve(options.projectRoot), templates.dir]);
  for (const path of options.data) if (path !== '-') roots.add(dirname(resolve(path)));
  return [...roots];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Writes an artifact unless the file already holds exactly these bytes (a warm rebuild touches nothing). */
async function writeUnlessSame(artifact: Artifact, hash: string): Promise<void> {
  const existing = await readFile(artifact.path).catch(() => undefined);
  if (existing && existing.byteLength === artifact.bytes.byteLength && sha256(existing) === hash) return;
  await writeArtifact(artifact);
}

const posixPath = (path: string): string => path.split(sep).join('/');

/** One deck exported: the files to write and what to tell the user. */
export interface ExportedDeck {
  /** The deck as exported: re-composed when fitting re-split a list. */
  markdown: string;
  rendered: RenderedDeck;
  /** What a build writes for the deck, in this order: PDF, PNGs, Markdown, HTML (with the fit). */
  artifacts: Artifact[];
  /** Blocked requests, overflow and the slide budget, as a build reports them. */
  warnings: BuildWarning[];
  /** What measuring found and fitting changed (when the browser ran). */
  fit?: DeckFit;
  /** Milliseconds of measuring and fitting, over every page load. */
  fitMs: number;
}

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
}

/**
 * Exports one deck as `briefgen build` does: measured, fitted and (when a list still overflows)
 * re-split in the browser, PDF and PNGs taken from the fitted page, Markdown and HTML of the deck
 * as finally composed. `exporter` runs each page load (perhaps behind the build cache). Shared by
 * the build, validate and the live preview's export, so they cannot drift apart.
 */
export async function exportPreparedDeck(deck: PreparedDeck, options: DeckExportOptions, exporter: Exporter, logger: Logger = silentLogger): Promise<ExportedDeck> {
  const warnings: BuildWarning[] = [];
  const artifacts: Artifact[] = [];
  const file = (ext: string) => join(deck.outputDir, `${deck.stem}.${ext}`);
  // Fitting may re-split a list: the deck written is the one measured last.
  let { markdown, rendered } = deck;
  let html = deck.rendered.html;
  let fit: DeckFit | undefined;
  let fitMs = 0;
  const formats = { pdf: options.formats.has('pdf'), png: options.formats.has('png') };
  if (formats.pdf || formats.png || options.measure) {
    const fitOptions = deck.fit ?? resolveFitOptions(undefined, undefined, options.fitAuto ?? true);
    const blocked = new Set<string>();
    const [{ exportFitted }, { slideOutline }] = await Promise.all([import('./fit/fit-deck.js'), import('./browser/pdf-metadata.js')]);
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
        },
      },
      async (request) => {
        const exported = await exporter({ ...request, pdfMetadata: { ...request.pdfMetadata, outline: slideOutline(request.html, request.slideCount) } });
        for (const url of exported.blockedUrls) blocked.add(url);
        return exported;
      },
    );
    ({ markdown, rendered, html } = fitted);
    fitMs = fitted.fitMs;
    const exported = fitted.exported;
    fit = summarizeFit(fitted.fit, fitOptions.minScale, fitted.splits, deck.template);
    const fittedLine = describeFitted(fit);
    logger.debug('fit', `${deck.key}: measured in ${fitted.fitMs} ms over ${fitted.passes} page load(s)${fittedLine ? `; ${fittedLine}` : ''}`);
    if (exported.pdf) artifacts.push({ path: file('pdf'), kind: ArtifactKind.pdf, bytes: exported.pdf });
    exported.pngs.forEach((bytes, index) => {
      artifacts.push({ path: join(deck.outputDir, `slide-${String(index + 1).padStart(2, '0')}.png`), kind: ArtifactKind.png, bytes });
    });
    for (const url of blocked) {
      warnings.push({ code: WarningCode.blockedRequest, deck: deck.key, message: `blocked a request to ${url} (only local files and data: URIs load)` });
    }
    warnings.push(...overflowWarnings(deck.key, fit));
  }
  if (options.formats.has('md')) artifacts.push({ path: file('md'), kind: ArtifactKind.markdown, bytes: utf8(markdown) });
  if (options.formats.has('html')) artifacts.push({ path: file('html'), kind: ArtifactKind.html, bytes: utf8(html) });
  if (deck.meta.maxSlides !== undefined && rendered.slideCount > deck.meta.maxSlides) {
    warnings.push({ code: WarningCode.budget, deck: deck.key, message: `${rendered.slideCount} slides, over the audience's budget of ${deck.meta.maxSlides}` });
  }
  return { markdown, rendered, artifacts, warnings, ...(fit ? { fit } : {}), fitMs };
}

async function exportAndWrite(decks: PreparedDeck[], options: Pick<BuildOptions, 'outDir' | 'formats' | 'browser' | 'cache' | 'sourceDateEpoch' | 'shard' | 'fit'>, deps: BuildDependencies, allowedRoots: string[], fast?: FastPath): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const needsBrowser = options.formats.has('pdf') || options.formats.has('png');
  const cache = needsBrowser && options.cache ? openBuildCache(options.cache.dir, { read: options.cache.read, write: options.cache.write, logger }) : undefined;
  const keyContext = cache ? { fingerprint: await briefgenFingerprint(), browser: await browserIdentity(options.browser) } : undefined;
  const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
  // The browser starts on the first deck the cache cannot supply, so a warm rebuild never starts it.
  let opening: Promise<BrowserSession> | undefined;
  const openSession = (): Promise<BrowserSession> => (opening ??= (deps.openBrowser ?? defaultOpenBrowser)({ logger, ...options.browser }));
  const results: DeckResult[] = [];
  let done = 0;
  const total = decks.length + (fast?.restored.size ?? 0);
  // Restored by their inputs: reported as decks restored from the cache always were.
  for (const deck of fast?.restored.values() ?? []) {
    deps.onProgress?.({ type: 'deck-start', key: deck.key, total });
    for (const warning of deck.warnings) logger.warn(formatWarningLine(warning));
    done += 1;
    if (deps.onProgress) deps.onProgress({ type: 'deck-done', key: deck.key, done, total, cached: true, slides: deck.slides, warnings: deck.warnings.length, ms: 0 });
    else logger.info(`restored ${deck.key} (${deck.slides} slides) → ${relative(process.cwd(), join(options.outDir, deck.report, deck.language, deck.audience)) || '.'}`);
    results.push(deck);
  }
  // Summed over decks (they overlap in time); logged once under DEBUG=briefgen:timing.
  const stageMs = { waitMs: 0, loadMs: 0, fitMs: 0, pdfMs: 0, pngMs: 0, writeMs: 0 };
  let exportedDecks = 0;
  try {
    // As many decks in flight as the session has pages: fewer leaves pages idle, more only queues.
    const poolSize = options.browser?.poolSize ?? defaultPoolSize();
    await mapLimit(decks, poolSize, async (deck) => {
      deps.signal?.throwIfAborted();
      deps.onProgress?.({ type: 'deck-start', key: deck.key, total });
      const startedAt = performance.now();
      let cached = false;
      // Through the cache: a deck whose HTML and fit options are unchanged is restored, not exported.
      const exporter: Exporter = async (request: ExportRequest) => {
        const key = cache && keyContext ? exportCacheKey({ ...keyContext, ...request }) : undefined;
        let exported = key ? await cache!.lookup<ExportResult>(key) : undefined;
        cached = exported !== undefined;
        if (!exported) {
          const { exportDeck } = await import('./browser/export-deck.js');
          // Timings stay out of the result, and so out of the cache.
          const { timings, ...fresh } = await exportDeck(await openSession(), request);
          if (timings) for (const [stage, ms] of Object.entries(timings)) stageMs[stage as keyof typeof timings] += ms;
          exported = fresh;
          // Only a complete export is worth keeping (a measuring pass may skip the capture).
          const complete = (!request.formats.pdf || exported.pdf !== undefined) && (!request.formats.png || exported.pngs.length === request.slideCount);
          if (key && complete) await cache!.store(key, exported);
        }
        return exported;
      };
      const { rendered, artifacts, warnings, fit } = await exportPreparedDeck(deck, { formats: options.formats, allowedRoots, date, fitAuto: options.fit?.auto ?? true }, exporter, logger);
      deps.signal?.throwIfAborted();
      const records: ArtifactRecord[] = [];
      const writeStart = performance.now();
      if (!cached) exportedDecks += 1;
      for (const artifact of artifacts) {
        const hash = sha256(artifact.bytes);
        await writeUnlessSame(artifact, hash);
        const pages = artifact.kind === 'png' ? 1 : rendered.slideCount;
        records.push({ path: posixPath(relative(options.outDir, artifact.path)), kind: artifact.kind, size: artifact.bytes.byteLength, sha256: hash, pages });
      }
      if (options.formats.has('png')) await removeStaleSlides(deck.outputDir, new Set(artifacts.filter((a) => a.kind === 'png').map((a) => a.path)));
      stageMs.writeMs += performance.now() - writeStart;
      for (const warning of warnings) logger.warn(formatWarningLine(warning));
      done += 1;
      if (deps.onProgress) {
        deps.onProgress({ type: 'deck-done', key: deck.key, done, total, cached, slides: rendered.slideCount, warnings: warnings.length, ms: performance.now() - startedAt });
      } else {
        logger.info(`${cached ? 'restored' : 'built'} ${deck.key} (${rendered.slideCount} slides) → ${relative(process.cwd(), deck.outputDir) || '.'}`);
      }
      results.push({
        key: deck.key,
        report: deck.meta.report,
        language: deck.meta.language,
        audience: deck.meta.audience,
        ...(deck.meta.title !== undefined ? { title: deck.meta.title } : {}),
        slides: rendered.slideCount,
        warnings,
        artifacts: records,
        cached,
        ...(fit ? { fit } : {}),
      });
      const inputKey = fast?.inputKeys.get(deck.key);
      if (inputKey) {
        const { cached: _cached, ...record } = results[results.length - 1]!;
        await fast!.entries.store(inputKey, record);
      }
    });
  } finally {
    const session = await opening?.catch(() => undefined);
    await session?.close();
  }
  logger.debug('timing', `export ${JSON.stringify({ ...Object.fromEntries(Object.entries(stageMs).map(([k, v]) => [k, Math.round(v)])), decks: decks.length, exported: exportedDecks })}`);
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const manifest = buildManifest(results, { sourceDateEpoch: options.sourceDateEpoch, shard: options.shard });
  const manifestPath = join(options.outDir, 'manifest.json');
  await writeArtifact({ path: manifestPath, kind: ArtifactKind.manifest, bytes: utf8(serializeManifest(manifest)) });
  const session = await opening?.catch(() => undefined);
  return {
    decks: results,
    warnings: results.flatMap((d) => d.warnings),
    manifest,
    manifestPath,
    browserStarted: session?.started ?? false,
  };
}

const formatWarningLine = (w: BuildWarning): string => `${w.deck}${w.slide !== undefined ? ` slide ${w.slide}` : ''}: ${w.message}`;
