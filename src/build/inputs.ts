import { dirname, resolve, sep } from 'node:path';
import { resolveLimits, type InputLimits } from '../data/limits.js';
import { duplicateReport, findDataFiles, loadReports, readReport, reportKey, stdinPath, type LoadedReport } from '../data/load-reports.js';
import { dataBudget, readDataFile, type StdinReader } from '../data/read-source.js';
import { BriefgenError, ErrorCode, isBriefgenError } from '../errors.js';
import { loadTemplateSet } from '../templates/load-template-set.js';
import type { BuildOptions, Inputs, TemplateSet } from './types.js';

/**
 * Folders a deck may load files from: the project, the templates folder and the folder of each
 * data path. Relative URLs resolve against the deck's own data folder, not these.
 */
export function allowedRootsFor(projectRoot: string, templatesDir: string, data: readonly string[]): string[] {
  const roots = new Set([resolve(projectRoot), resolve(templatesDir)]);
  for (const path of data) if (path !== stdinPath) roots.add(dirname(resolve(path)));
  return [...roots];
}

/** The templates folder, read and checked (profiles, decks, partials, themes, labels). */
export const loadTemplates = (dir: string): Promise<TemplateSet> => loadTemplateSet(resolve(dir));

/**
 * The inputs of a run: the templates folder and every data file, each read once, within the
 * run's limits. `signal` stops a read of standard input that is still waiting for data.
 */
export async function loadInputs(options: Pick<BuildOptions, 'data' | 'templatesDir' | 'projectRoot' | 'limits'>, readStdin: StdinReader = noStdin, signal?: AbortSignal): Promise<Inputs> {
  const templates = await loadTemplates(options.templatesDir);
  const reports = await loadReports(options.data, readStdin, { ...(options.limits ? { limits: options.limits } : {}), ...(signal ? { signal } : {}) });
  return { templates, reports, allowedRoots: allowedRootsFor(options.projectRoot, templates.dir, options.data) };
}

const noStdin = (): Promise<string> => Promise.reject(new BriefgenError(ErrorCode.usage, 'this command cannot read data from standard input'));

/** A data file that cannot be used right now, and why. */
export interface DataProblem {
  /** `data` (a path that lists no files) or `data:<file>`. */
  source: string;
  file: string;
  error: BriefgenError;
}

/**
 * The data of a long-running session (`briefgen dev`), reread file by file as files change. A
 * broken file keeps its last good report in use and becomes a problem until it is fixed.
 */
export interface DataTracker {
  /** Finds the data files again and rereads the `changed` ones (every one for `all`); returns how many were read. */
  reload(changed: ReadonlySet<string> | 'all'): Promise<number>;
  /** The last good report of every file (the first, where two define the same report), and the problems. */
  current(): { reports: LoadedReport[]; problems: DataProblem[] };
  /** Whether `path` lies in one of the data paths. */
  covers(path: string): boolean;
}

interface DataEntry {
  text?: string;
  report?: LoadedReport;
  error?: BriefgenError;
}

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** Fails as a build would when a data path does not exist or holds no data files. */
export async function checkDataPaths(paths: readonly string[]): Promise<void> {
  for (const path of paths) await findDataFiles(path);
}

export function trackData(paths: readonly string[], limits: Partial<InputLimits> = {}): DataTracker {
  const bounds = resolveLimits(limits);
  const roots = paths.map((path) => resolve(path));
  const entries = new Map<string, DataEntry>();
  const rootProblems = new Map<string, DataProblem>();

  const readEntry = async (file: string): Promise<void> => {
    const entry = entries.get(file) ?? {};
    entries.set(file, entry);
    let text: string;
    try {
      // Each file within the data-size limit on its own: a session rereads one file at a time.
      text = await readDataFile(file, dataBudget(bounds.dataBytes));
    } catch (error) {
      entry.error = isBriefgenError(error) ? error : new BriefgenError(ErrorCode.usage, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { location: { file } });
      return;
    }
    if (text === entry.text && (entry.report || entry.error)) return;
    entry.text = text;
    try {
      entry.report = readReport(file, text, bounds);
      entry.error = undefined;
    } catch (error) {
      entry.error = isBriefgenError(error) ? error : new BriefgenError(ErrorCode.dataParse, (error as Error).message, { location: { file }, cause: error });
    }
  };

  return {
    async reload(changed) {
      const found = new Set<string>();
      rootProblems.clear();
      for (const root of roots) {
        try {
          for (const file of await findDataFiles(root)) found.add(file);
        } catch (error) {
          rootProblems.set(root, { source: 'data', file: root, error: error as BriefgenError });
          // Keep what was there: the folder may be half-way through a move.
          for (const file of entries.keys()) if (within(file, root)) found.add(file);
        }
      }
      for (const file of [...entries.keys()]) if (!found.has(file)) entries.delete(file);
      let read = 0;
      for (const file of found) {
        if (changed !== 'all' && entries.has(file) && !changed.has(file)) continue;
        await readEntry(file);
        read += 1;
      }
      return read;
    },
    current() {
      const first = new Map<string, string>();
      const reports: LoadedReport[] = [];
      const problems: DataProblem[] = [...rootProblems.values()];
      for (const [file, entry] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
        if (entry.report) {
          const earlier = first.get(reportKey(entry.report));
          if (earlier) {
            problems.push({ source: `data:${file}`, file, error: duplicateReport(entry.report, earlier) });
            continue;
          }
          first.set(reportKey(entry.report), file);
          reports.push(entry.report);
        }
        if (entry.error) problems.push({ source: `data:${file}`, file, error: entry.error });
      }
      return { reports, problems };
    },
    covers: (path) => roots.some((root) => within(path, root)),
  };
}
