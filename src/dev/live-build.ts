import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createComposer, type Composer } from '../compose/compose-deck.js';
import { helperRegistry, type Helper } from '../compose/helpers.js';
import { findDataFiles, type LoadedReport } from '../data/load-reports.js';
import { parseSource } from '../data/parse-source.js';
import { validateBriefing } from '../data/validate-briefing.js';
import { BriefgenError, ErrorCode, isBriefgenError } from '../errors.js';
import { planDecks, type DeckJob, type Selection } from '../plan.js';
import { createRenderer, type RenderedDeck, type Renderer } from '../render.js';
import { loadTemplateSet, type TemplateSet } from '../templates/load-template-set.js';
import { WarningCode, type BuildWarning } from '../warnings.js';
import { withSplitOverrides, type SplitOverrides } from '../fit/paginate-helper.js';
import { deckFingerprint, deckTemplateInputs } from './deck-inputs.js';

export interface LiveBuildOptions {
  /** Data files or folders (no stdin: there is nothing to watch). */
  data: readonly string[];
  templatesDir: string;
  audiences: Selection;
  languages: Selection;
  /** Folder the decks may load files from, besides the templates and data folders. */
  projectRoot: string;
  /**
   * A module exporting `helperRegistry` (the shape of `src/compose/helpers.ts`), re-imported when
   * it changes; its helpers replace built-in ones of the same name and add to the rest. Without it
   * the built-in registry is used and never reloaded.
   */
  helpersModule?: string;
}

/** One deck as last built successfully. */
export interface LiveDeck {
  key: string;
  job: DeckJob;
  markdown: string;
  rendered: RenderedDeck;
  /** The template set it was built from. */
  templates: TemplateSet;
  /**
   * Composes and renders this version again with fewer items per slide for some lists, with the
   * same templates and helpers: what slide fit does when a list overflows.
   */
  recompose: (overrides: SplitOverrides) => { markdown: string; rendered: RenderedDeck };
  /** Warnings known without a browser: the slide budget, requests the export would block. */
  warnings: BuildWarning[];
  /** Unique across all decks of the run; grows with every rebuild. */
  version: number;
  /** Compose + render time of this version. */
  buildMs: number;
  fingerprint: string;
}

/** Something that keeps the live decks from following the files, until the file is fixed. */
export interface LiveProblem {
  /** `templates`, `helpers`, `plan`, `data:<file>` or `deck:<key>`. */
  source: string;
  error: BriefgenError;
  /** The decks it holds back; undefined when it concerns every deck. */
  decks?: string[];
}

export interface UpdateOptions {
  /** Build these decks first (the ones on screen). */
  first?: readonly string[];
  /** Called after each deck is rebuilt, before the next one starts. */
  onDeck?: (deck: LiveDeck) => void;
}

export interface UpdateResult {
  rebuilt: string[];
  removed: string[];
  /** How the changed paths were read: what had to be reloaded. */
  reloaded: { templates: boolean; helpers: boolean; data: number; assets: boolean };
}

export interface LiveBuild {
  /** Reloads what `changed` touches (everything for `all`) and rebuilds the decks whose inputs changed. */
  update(changed: ReadonlySet<string> | 'all', options?: UpdateOptions): Promise<UpdateResult>;
  decks(): LiveDeck[];
  deck(key: string): LiveDeck | undefined;
  problems(): LiveProblem[];
  /** Files and folders whose changes matter. */
  watchTargets(): string[];
  /** Folders the decks may load files from (for the export's request guard). */
  allowedRoots(): string[];
}

interface DataEntry {
  text?: string;
  /** Last good version; kept while the file is broken so its deck stays on screen. */
  report?: LoadedReport;
  error?: BriefgenError;
}

const templateExtensions = new Set(['.hbs', '.css', '.yaml', '.yml']);
const dataExtensions = new Set(['.yaml', '.yml', '.json']);
const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const yieldToEvents = (): Promise<void> => new Promise((done) => setImmediate(done));

/** Any failure as a BriefgenError, so the page can show it like the CLI would. */
function asBriefgenError(error: unknown, code: BriefgenError['code'], file?: string): BriefgenError {
  if (isBriefgenError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BriefgenError(code, message, { location: file ? { file } : undefined, cause: error });
}

/**
 * The decks of a dev session, kept in memory and rebuilt from the files that change. Compose and
 * render only (no browser): a rebuild costs tens of milliseconds. Each reload is all-or-nothing:
 * a broken file becomes a problem, and the last good templates, data and decks stay in use.
 */
export function createLiveBuild(options: LiveBuildOptions): LiveBuild {
  const templatesDir = resolve(options.templatesDir);
  const dataPaths = options.data.map((path) => resolve(path));
  const helpersModule = options.helpersModule ? resolve(options.helpersModule) : undefined;
  const roots = [...new Set([resolve(options.projectRoot), templatesDir, ...dataPaths.map((path) => dirname(path))])];

  let templates: TemplateSet | undefined;
  let composer: Composer | undefined;
  let renderer: Renderer | undefined;
  let rendererKey = '';
  let helpers: ReadonlyArray<readonly [string, Helper]> = helperRegistry;
  let helpersVersion = 0;
  let assetsVersion = 0;
  let versionCounter = 0;
  let jobs: DeckJob[] = [];
  const data = new Map<string, DataEntry>();
  const decks = new Map<string, LiveDeck>();
  /** The fingerprint each deck was last attempted with, failed or not: the same inputs fail the same way. */
  const attempted = new Map<string, string>();
  const problems = new Map<string, LiveProblem>();

  const setProblem = (source: string, error: unknown, code: BriefgenError['code'], file?: string, deckKeys?: string[]) => {
    problems.set(source, { source, error: asBriefgenError(error, code, file), decks: deckKeys });
  };

  async function reloadHelpers(): Promise<boolean> {
    if (!helpersModule) return false;
    try {
      // A new URL per version: the ESM loader caches modules by URL and never forgets one.
      const module = (await import(`${pathToFileURL(helpersModule).href}?v=${Date.now()}-${helpersVersion + 1}`)) as { helperRegistry?: unknown };
      if (!Array.isArray(module.helperRegistry)) {
        throw new BriefgenError(ErrorCode.template, 'the helper module does not export a helperRegistry array', { location: { file: helpersModule } });
      }
      // Over the built-in registry: a module may redefine some helpers and add others.
      const overrides = new Map(module.helperRegistry as Array<readonly [string, Helper]>);
      helpers = [...helperRegistry.filter(([name]) => !overrides.has(name)), ...overrides];
      helpersVersion += 1;
      problems.delete('helpers');
      return true;
    } catch (error) {
      setProblem('helpers', error, ErrorCode.template, helpersModule);
      return false;
    }
  }

  /** Loads the templates and compiles them; adopts the new set only if all of it works. */
  async function reloadTemplates(): Promise<void> {
    try {
      const set = await loadTemplateSet(templatesDir);
      const nextComposer = createComposer(set, helpers);
      const themes = [...set.themes.values()];
      const key = sha(JSON.stringify([themes.map((t) => [t.name, t.file, set.hashes.get(relative(set.dir, t.file))]), assetsVersion]));
      const nextRenderer = key === rendererKey && renderer ? renderer : createRenderer({ themes: themes.map((t) => ({ name: t.name, css: t.css, file: t.file })), allowedRoots: roots });
      templates = set;
      composer = nextComposer;
      renderer = nextRenderer;
      rendererKey = key;
      problems.delete('templates');
    } catch (error) {
      setProblem('templates', error, ErrorCode.template, templatesDir);
    }
  }

  async function readDataFile(file: string): Promise<void> {
    const entry = data.get(file) ?? {};
    data.set(file, entry);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      entry.error = new BriefgenError(ErrorCode.usage, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { location: { file } });
      return;
    }
    if (text === entry.text && (entry.report || entry.error)) return;
    entry.text = text;
    try {
      const briefing = validateBriefing(parseSource(file, text));
      entry.report = { id: briefing.meta.id, language: briefing.meta.language, file, baseDir: dirname(file), text, briefing };
      entry.error = undefined;
    } catch (error) {
      entry.error = asBriefgenError(error, ErrorCode.dataParse, file);
    }
  }

  /** Finds the data files again (some may be new or gone) and rereads the changed ones. */
  async function reloadData(changed: ReadonlySet<string> | 'all'): Promise<number> {
    const found = new Set<string>();
    problems.delete('data');
    for (const path of dataPaths) {
      try {
        for (const file of await findDataFiles(path)) found.add(file);
      } catch (error) {
        setProblem('data', error, ErrorCode.usage, path);
        // Keep what was there: the folder may be half-way through a move.
        for (const file of data.keys()) if (within(file, path)) found.add(file);
      }
    }
    for (const file of [...data.keys()]) if (!found.has(file)) data.delete(file);
    let read = 0;
    for (const file of found) {
      if (changed !== 'all' && data.has(file) && !changed.has(file)) continue;
      await readDataFile(file);
      read += 1;
    }
    return read;
  }

  /** The reports to plan with: the last good version of each file, the first of any duplicates. */
  function currentReports(): LoadedReport[] {
    const seen = new Map<string, string>();
    const reports: LoadedReport[] = [];
    for (const [file, entry] of [...data.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      problems.delete(`data:${file}`);
      const report = entry.report;
      if (report) {
        const key = `${report.id}/${report.language}`;
        const previous = seen.get(key);
        if (previous) {
          setProblem(`data:${file}`, new BriefgenError(ErrorCode.dataShape, `report "${report.id}" in language "${report.language}" is defined twice`, {
            location: { file, dataPath: 'meta.language' },
            hint: `the other definition is in ${previous}`,
          }), ErrorCode.dataShape);
          continue;
        }
        seen.set(key, file);
        reports.push(report);
      }
      if (entry.error) {
        const keys = [...decks.values()].filter((deck) => deck.job.report.file === file).map((deck) => deck.key);
        setProblem(`data:${file}`, entry.error, ErrorCode.dataParse, file, keys.length > 0 ? keys : undefined);
      }
    }
    return reports;
  }

  function classify(changed: ReadonlySet<string> | 'all') {
    if (changed === 'all') return { templates: true, helpers: Boolean(helpersModule), data: 'all' as const, assets: false };
    let templatesChanged = false;
    let helpersChanged = false;
    let assets = false;
    const dataFiles = new Set<string>();
    for (const path of changed) {
      if (helpersModule && path === helpersModule) helpersChanged = true;
      else if (within(path, templatesDir)) {
        if (templateExtensions.has(extname(path))) templatesChanged = true;
        else assets = true;
      } else if (dataPaths.some((root) => within(path, root))) {
        if (dataExtensions.has(extname(path)) || data.has(path)) dataFiles.add(path);
        else assets = true;
      } else assets = true;
    }
    return { templates: templatesChanged, helpers: helpersChanged, data: dataFiles, assets };
  }

  function warningsOf(job: DeckJob, rendered: RenderedDeck): BuildWarning[] {
    const warnings: BuildWarning[] = [];
    if (job.profile.maxSlides !== undefined && rendered.slideCount > job.profile.maxSlides) {
      warnings.push({ code: WarningCode.budget, deck: job.key, message: `${rendered.slideCount} slides, over the audience's budget of ${job.profile.maxSlides}` });
    }
    for (const url of rendered.externalUrls) {
      warnings.push({ code: WarningCode.blockedRequest, deck: job.key, message: `loads ${url}, which the export blocks (only local files and data: URIs load)` });
    }
    return warnings;
  }

  async function rebuildDecks(options: UpdateOptions): Promise<string[]> {
    if (!templates || !composer || !renderer) return [];
    const set = templates;
    const deckRenderer = renderer;
    const deckHelpers = helpers;
    const first = new Set(options.first ?? []);
    const ordered = [...jobs].sort((a, b) => Number(first.has(b.key)) - Number(first.has(a.key)));
    const rebuilt: string[] = [];
    for (const job of ordered) {
      const lang = job.report.language;
      const fingerprint = deckFingerprint(set, deckTemplateInputs(set, job.profile, lang), [sha(job.report.text), job.report.file, String(helpersVersion), String(assetsVersion), rendererKey]);
      if (attempted.get(job.key) === fingerprint) continue;
      attempted.set(job.key, fingerprint);
      const started = performance.now();
      try {
        const markdown = composer.compose({ briefing: job.report.briefing, profile: job.profile, lang });
        const render = (text: string) => deckRenderer.render({ markdown: text, lang, baseDir: job.report.baseDir, title: job.report.briefing.meta.title });
        const rendered = render(markdown);
        const recompose = (overrides: SplitOverrides) => {
          const again = createComposer(set, withSplitOverrides(deckHelpers, overrides)).compose({ briefing: job.report.briefing, profile: job.profile, lang });
          return { markdown: again, rendered: render(again) };
        };
        versionCounter += 1;
        const deck: LiveDeck = { key: job.key, job, markdown, rendered, templates: set, recompose, warnings: warningsOf(job, rendered), version: versionCounter, buildMs: performance.now() - started, fingerprint };
        decks.set(job.key, deck);
        problems.delete(`deck:${job.key}`);
        rebuilt.push(job.key);
        options.onDeck?.(deck);
      } catch (error) {
        setProblem(`deck:${job.key}`, error, ErrorCode.render, undefined, [job.key]);
      }
      // Let the server push this deck before the next one takes the CPU.
      await yieldToEvents();
    }
    return rebuilt;
  }

  return {
    async update(changed, updateOptions = {}) {
      const what = classify(changed);
      if (what.assets) assetsVersion += 1;
      const helpersReloaded = what.helpers ? await reloadHelpers() : false;
      if (what.templates || helpersReloaded || what.assets || !templates) await reloadTemplates();
      const dataRead = what.data === 'all' || what.data.size > 0 ? await reloadData(what.data) : 0;
      const reports = currentReports();
      const removed: string[] = [];
      if (templates) {
        try {
          jobs = planDecks(reports, templates, options.audiences, options.languages);
          problems.delete('plan');
          const keys = new Set(jobs.map((job) => job.key));
          for (const key of [...decks.keys()]) {
            if (keys.has(key)) continue;
            decks.delete(key);
            attempted.delete(key);
            problems.delete(`deck:${key}`);
            removed.push(key);
          }
        } catch (error) {
          // Keep the decks on screen; planning again after the next edit may succeed.
          setProblem('plan', error, ErrorCode.usage);
        }
      }
      const rebuilt = await rebuildDecks(updateOptions);
      return { rebuilt, removed, reloaded: { templates: what.templates, helpers: helpersReloaded, data: dataRead, assets: what.assets } };
    },
    decks: () => [...decks.values()].sort((a, b) => a.key.localeCompare(b.key)),
    deck: (key) => decks.get(key),
    problems: () => [...problems.values()],
    watchTargets: () => [templatesDir, ...dataPaths, ...(helpersModule ? [helpersModule] : [])],
    allowedRoots: () => [...roots],
  };
}
