import { createHash } from 'node:crypto';
import { extname, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInHelpers, createDeckMaker, slideLimitOf, type DeckMaker } from '../build/deck.js';
import { allowedRootsFor, loadTemplates, trackData } from '../build/inputs.js';
import { planDecks } from '../build/plan.js';
import type { Deck, DeckJob, Helper, InputLimits, Selection, TemplateSet } from '../build/types.js';
import { BriefgenError, ErrorCode, isBriefgenError } from '../errors.js';
import { deckFingerprint, deckTemplateInputs } from './deck-inputs.js';

export interface LiveBuildOptions {
  /** Data files or folders (no stdin: there is nothing to watch). */
  data: readonly string[];
  templatesDir: string;
  audiences: Selection | 'default';
  languages: Selection;
  /** Folder the decks may load files from, besides the templates and data folders. */
  projectRoot: string;
  /** Where the export writes (the usual `out/` layout). */
  outDir?: string;
  /** false (`--no-fit`): the decks' export measures and reports only. Default true. */
  fitAuto?: boolean;
  /**
   * A module exporting `helperRegistry` (the shape of `src/compose/helpers.ts`), re-imported when
   * it changes; its helpers replace built-in ones of the same name and add to the rest. Without it
   * the built-in registry is used and never reloaded.
   */
  helpersModule?: string;
  /** The limits on data and slides, as a build has them. */
  limits?: Partial<InputLimits>;
}

/** One version of a deck, as last built successfully. */
export interface LiveDeck {
  key: string;
  job: DeckJob;
  /** The deck as the build's own stages made it: exported, it gives a build's files. */
  deck: Deck;
  /** Unique across all decks of the run; grows with every rebuild. */
  version: number;
  /** Compose + render time of this version. */
  buildMs: number;
  fingerprint: string;
}

/** Something that keeps the live decks from following the files, until the file is fixed. */
export interface LiveProblem {
  /** `templates`, `helpers`, `plan`, `data`, `data:<file>` or `deck:<key>`. */
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
 * The decks of a dev session, kept in memory and rebuilt from the files that change, through the
 * build's own stages (inputs, plan, compose + render; no browser): a rebuild costs tens of
 * milliseconds. Each reload is all-or-nothing: a broken file becomes a problem, and the last good
 * templates, data and decks stay in use.
 */
export function createLiveBuild(options: LiveBuildOptions): LiveBuild {
  const templatesDir = resolve(options.templatesDir);
  const dataPaths = options.data.map((path) => resolve(path));
  const helpersModule = options.helpersModule ? resolve(options.helpersModule) : undefined;
  const roots = allowedRootsFor(options.projectRoot, templatesDir, dataPaths);
  const data = trackData(dataPaths, options.limits);

  let templates: TemplateSet | undefined;
  let maker: DeckMaker | undefined;
  let helpers: ReadonlyArray<readonly [string, Helper]> | undefined;
  let helpersVersion = 0;
  let assetsVersion = 0;
  let versionCounter = 0;
  let jobs: DeckJob[] = [];
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
      helpers = [...(await builtInHelpers()).filter(([name]) => !overrides.has(name)), ...overrides];
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
      const set = await loadTemplates(templatesDir);
      const nextMaker = await createDeckMaker({ templates: set, allowedRoots: roots }, { outDir: options.outDir ?? '', fitAuto: options.fitAuto ?? true, ...(helpers ? { helpers } : {}), ...slideLimitOf(options.limits) });
      templates = set;
      maker = nextMaker;
      problems.delete('templates');
    } catch (error) {
      setProblem('templates', error, ErrorCode.template, templatesDir);
    }
  }

  /** The reports to plan with; problems of the data files, naming the decks each one holds back. */
  function currentReports() {
    for (const source of [...problems.keys()]) if (source === 'data' || source.startsWith('data:')) problems.delete(source);
    const { reports, problems: found } = data.current();
    for (const problem of found) {
      const held = [...decks.values()].filter((d) => d.job.report.file === problem.file).map((d) => d.key);
      setProblem(problem.source, problem.error, problem.error.code, problem.file, held.length > 0 ? held : undefined);
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
      } else if (data.covers(path)) {
        if (dataExtensions.has(extname(path))) dataFiles.add(path);
        else assets = true;
      } else assets = true;
    }
    return { templates: templatesChanged, helpers: helpersChanged, data: dataFiles, assets };
  }

  async function rebuildDecks(updateOptions: UpdateOptions): Promise<string[]> {
    if (!templates || !maker) return [];
    const set = templates;
    const deckMaker = maker;
    const first = new Set(updateOptions.first ?? []);
    const ordered = [...jobs].sort((a, b) => Number(first.has(b.key)) - Number(first.has(a.key)));
    const rebuilt: string[] = [];
    for (const job of ordered) {
      const lang = job.report.language;
      const fingerprint = deckFingerprint(set, deckTemplateInputs(set, job.profile, lang), [sha(job.report.text), job.report.file, String(helpersVersion), String(assetsVersion)]);
      if (attempted.get(job.key) === fingerprint) continue;
      attempted.set(job.key, fingerprint);
      const started = performance.now();
      try {
        const deck = deckMaker.make(job);
        versionCounter += 1;
        const live: LiveDeck = { key: job.key, job, deck, version: versionCounter, buildMs: performance.now() - started, fingerprint };
        decks.set(job.key, live);
        problems.delete(`deck:${job.key}`);
        rebuilt.push(job.key);
        updateOptions.onDeck?.(live);
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
      const dataRead = what.data === 'all' || what.data.size > 0 ? await data.reload(what.data) : 0;
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
