import { createHash } from 'node:crypto';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createComposer } from './compose/compose-deck.js';
import { loadReports } from './data/load-reports.js';
import { BriefgenError, ErrorCode } from './errors.js';
import { silentLogger, type Logger } from './log.js';
import { buildManifest, type Manifest } from './manifest.js';
import { ArtifactKind, removeStaleSlides, writeArtifact, type Artifact } from './output/write-artifacts.js';
import { planDecks, type DeckJob, type Selection } from './plan.js';
import { createRenderer, type RenderedDeck, type Renderer } from './render.js';
import { loadTemplateSet, type TemplateSet } from './templates/load-template-set.js';
import { mapLimit } from './util/map-limit.js';
import { WarningCode, type BuildWarning } from './warnings.js';
import type { BrowserSession, BrowserSessionOptions } from './browser/session.js';

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
}

export interface BuildDependencies {
  logger?: Logger;
  readStdin?: () => Promise<string>;
  /** Aborts between decks; the browser is closed either way. */
  signal?: AbortSignal;
  /** Supplies the browser session (tests and long-lived servers pass a warm one). */
  openBrowser?: (options?: BrowserSessionOptions) => Promise<BrowserSession>;
}

export interface ArtifactRecord {
  path: string;
  kind: Artifact['kind'];
  bytes: number;
  sha256: string;
}

export interface DeckResult {
  key: string;
  report: string;
  language: string;
  audience: string;
  slides: number;
  artifacts: ArtifactRecord[];
  warnings: BuildWarning[];
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

/** Where a deck's files go: `out/<report>/<lang>/<audience>/<report>-<lang>-<audience>.<ext>`. */
export function deckOutputDir(outDir: string, job: DeckJob): string {
  return join(outDir, job.report.id, job.report.language, job.profile.name);
}

/** The whole build: data → compose → render → export → write → manifest. */
export async function build(options: BuildOptions, deps: BuildDependencies = {}): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const { templates, jobs } = await prepare(options, deps);
  const composer = createComposer(templates);
  const composed = jobs.map((job) => ({ job, markdown: composer.compose({ briefing: job.report.briefing, profile: job.profile, lang: job.report.language }) }));
  logger.debug('compose', `composed ${composed.length} decks`);
  const renderer = createRenderer({
    themes: [...templates.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file })),
    allowedRoots: allowedRootsFor(options, templates),
  });
  const decks = composed.map(({ job, markdown }) => ({
    key: job.key,
    outputDir: deckOutputDir(options.outDir, job),
    stem: `${job.report.id}-${job.report.language}-${job.profile.name}`,
    markdown,
    rendered: renderChecked(renderer, markdown, job.report.language, job.report.baseDir, job.report.briefing.meta.title, job.key),
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
  }));
  return exportAndWrite(decks, options, deps, allowedRootsFor(options, templates));
}

/** A Marp Markdown file exported like any deck (`briefgen render DECK.md`). */
export async function renderMarkdownFiles(files: readonly string[], options: Pick<BuildOptions, 'outDir' | 'formats' | 'projectRoot' | 'browser' | 'templatesDir'>, deps: BuildDependencies = {}): Promise<BuildResult> {
  const themes = await loadTemplateSet(resolve(options.templatesDir)).then(
    (set) => [...set.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file })),
    () => [],
  );
  const roots = [resolve(options.projectRoot), ...files.map((f) => dirname(resolve(f)))];
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

interface PreparedDeck {
  key: string;
  outputDir: string;
  stem: string;
  markdown: string;
  rendered: RenderedDeck;
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

async function exportAndWrite(decks: PreparedDeck[], options: Pick<BuildOptions, 'outDir' | 'formats' | 'browser'>, deps: BuildDependencies, allowedRoots: string[]): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const needsBrowser = options.formats.has('pdf') || options.formats.has('png');
  let session: BrowserSession | undefined;
  const results: DeckResult[] = [];
  try {
    if (needsBrowser && decks.length > 0) session = await (deps.openBrowser ?? defaultOpenBrowser)({ logger, ...options.browser });
    const poolSize = options.browser?.poolSize ?? 2;
    const { exportDeck } = needsBrowser ? await import('./browser/export-deck.js') : { exportDeck: undefined };
    await mapLimit(decks, poolSize, async (deck) => {
      deps.signal?.throwIfAborted();
      const warnings: BuildWarning[] = [];
      const artifacts: Artifact[] = [];
      const file = (ext: string) => join(deck.outputDir, `${deck.stem}.${ext}`);
      if (options.formats.has('md')) artifacts.push({ path: file('md'), kind: ArtifactKind.markdown, bytes: utf8(deck.markdown) });
      if (options.formats.has('html')) artifacts.push({ path: file('html'), kind: ArtifactKind.html, bytes: utf8(deck.rendered.html) });
      if (session && exportDeck) {
        const exported = await exportDeck(session, {
          html: deck.rendered.html,
          width: deck.rendered.width,
          height: deck.rendered.height,
          slideCount: deck.rendered.slideCount,
          formats: { pdf: options.formats.has('pdf'), png: options.formats.has('png') },
          allowedRoots,
          pdfMetadata: {
            title: deck.meta.title ?? deck.rendered.title,
            author: deck.meta.author,
            subject: deck.meta.subject,
            keywords: deck.meta.keywords,
            language: deck.meta.language || undefined,
            creator: 'briefgen',
          },
        });
        if (exported.pdf) artifacts.push({ path: file('pdf'), kind: ArtifactKind.pdf, bytes: exported.pdf });
        exported.pngs.forEach((bytes, index) => {
          artifacts.push({ path: join(deck.outputDir, `slide-${String(index + 1).padStart(2, '0')}.png`), kind: ArtifactKind.png, bytes });
        });
        for (const url of exported.blockedUrls) {
          warnings.push({ code: WarningCode.blockedRequest, deck: deck.key, message: `blocked a request to ${url} (only local files and data: URIs load)` });
        }
      }
      if (deck.meta.maxSlides !== undefined && deck.rendered.slideCount > deck.meta.maxSlides) {
        warnings.push({ code: WarningCode.budget, deck: deck.key, message: `${deck.rendered.slideCount} slides, over the audience's budget of ${deck.meta.maxSlides}` });
      }
      deps.signal?.throwIfAborted();
      for (const artifact of artifacts) await writeArtifact(artifact);
      if (options.formats.has('png')) await removeStaleSlides(deck.outputDir, new Set(artifacts.filter((a) => a.kind === 'png').map((a) => a.path)));
      for (const warning of warnings) logger.warn(formatWarningLine(warning));
      logger.info(`built ${deck.key} (${deck.rendered.slideCount} slides) → ${relative(process.cwd(), deck.outputDir) || '.'}`);
      results.push({
        key: deck.key,
        report: deck.meta.report,
        language: deck.meta.language,
        audience: deck.meta.audience,
        slides: deck.rendered.slideCount,
        artifacts: artifacts.map((a) => ({ path: relative(options.outDir, a.path), kind: a.kind, bytes: a.bytes.byteLength, sha256: sha256(a.bytes) })),
        warnings,
      });
    });
  } finally {
    await session?.close();
  }
  results.sort((a, b) => a.key.localeCompare(b.key));
  const manifest = buildManifest(results);
  const manifestPath = join(options.outDir, 'manifest.json');
  await writeArtifact({ path: manifestPath, kind: ArtifactKind.manifest, bytes: utf8(`${JSON.stringify(manifest, null, 2)}\n`) });
  return {
    decks: results,
    warnings: results.flatMap((d) => d.warnings),
    manifest,
    manifestPath,
    browserStarted: session?.started ?? false,
  };
}

const formatWarningLine = (w: BuildWarning): string => `${w.deck}${w.slide !== undefined ? ` slide ${w.slide}` : ''}: ${w.message}`;
