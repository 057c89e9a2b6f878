import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { BriefgenError, ErrorCode, displayPath } from '../errors.js';
import type { Briefing } from '../schema.js';
import { checkDataLimits } from './check-limits.js';
import { resolveLimits, type InputLimits } from './limits.js';
import { parseSource } from './parse-source.js';
import { dataBudget, notRegularFile, readDataFile, readStdinData, type StdinReader } from './read-source.js';
import { validateBriefing } from './validate-briefing.js';

/** One language version of one report, validated. */
export interface LoadedReport {
  id: string;
  language: string;
  /** Where it came from (`-` for stdin). */
  file: string;
  /** Folder that relative paths in the data resolve against. */
  baseDir: string;
  text: string;
  briefing: Briefing;
}

const dataExtensions = new Set(['.yaml', '.yml', '.json']);

/** `-` stands for standard input. */
export const stdinPath = '-';

/**
 * Finds the data files a `--data` value names: a file; a report folder holding one file per language;
 * or a content folder holding report folders.
 */
export async function findDataFiles(path: string): Promise<string[]> {
  if (path === stdinPath) return [stdinPath];
  const full = resolve(path);
  const info = await stat(full).catch(() => undefined);
  if (!info) {
    throw new BriefgenError(ErrorCode.usage, `data not found: ${displayPath(full, process.cwd())}`, {
      hint: 'pass a YAML or JSON file, a report folder, or - for standard input',
    });
  }
  if (info.isFile()) return [full];
  if (!info.isDirectory()) throw notRegularFile(full, info);
  const entries = (await readdir(full, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries.filter((e) => dataExtensions.has(extname(e.name)))) {
    if (entry.isFile()) files.push(join(full, entry.name));
    else if (entry.isSymbolicLink()) {
      // A linked data file counts like any other (nothing is dropped silently); a link to a device or pipe is refused.
      const target = await stat(join(full, entry.name)).catch(() => undefined);
      if (target?.isFile()) files.push(join(full, entry.name));
      else if (target && !target.isDirectory()) throw notRegularFile(join(full, entry.name), target);
    }
  }
  if (files.length > 0) return files;
  const nested: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) nested.push(...(await findDataFiles(join(full, entry.name))));
  if (nested.length === 0) throw new BriefgenError(ErrorCode.usage, `no .yaml, .yml or .json data files in ${path}`);
  return nested;
}

/**
 * One data file's text as a validated report; `file` is `-` for standard input. The limits on lists,
 * strings and aliases are checked before the schema, so oversized data fails fast and by name.
 */
export function readReport(file: string, text: string, limits: Partial<InputLimits> = {}): LoadedReport {
  const label = file === stdinPath ? '<stdin>' : file;
  const bounds = resolveLimits(limits);
  if (text.trim() === '') {
    throw new BriefgenError(ErrorCode.dataShape, 'the data is empty', { location: { file: label }, hint: 'a briefing has meta, summary and sections (README.md, "Data format")' });
  }
  const source = parseSource(label, text, { maxAliasCount: bounds.yamlAliases });
  checkDataLimits(source, bounds);
  const briefing = validateBriefing(source);
  return {
    id: briefing.meta.id,
    language: briefing.meta.language,
    file: label,
    baseDir: file === stdinPath ? process.cwd() : dirname(file),
    text,
    briefing,
  };
}

/** The error for a second definition of a report in one language. */
export function duplicateReport(report: LoadedReport, firstFile: string): BriefgenError {
  return new BriefgenError(ErrorCode.dataShape, `report "${report.id}" in language "${report.language}" is defined twice`, {
    location: { file: report.file, dataPath: 'meta.language' },
    hint: `the other definition is in ${firstFile}`,
  });
}

/** `id/language`: what must be unique among the reports of a run. */
export const reportKey = (report: Pick<LoadedReport, 'id' | 'language'>): string => `${report.id}/${report.language}`;

/** Reads, parses and validates every data file; fails on the first bad one or on a duplicate id+language. */
export async function loadReports(
  paths: readonly string[],
  readStdin: StdinReader,
  options: { limits?: Partial<InputLimits>; signal?: AbortSignal } = {},
): Promise<LoadedReport[]> {
  const files = (await Promise.all(paths.map(findDataFiles))).flat();
  if (files.filter((file) => file === stdinPath).length > 1) {
    throw new BriefgenError(ErrorCode.usage, '--data - is given more than once: standard input can be read only once', { hint: 'pass - once; other data as files or folders' });
  }
  const limits = resolveLimits(options.limits);
  const budget = dataBudget(limits.dataBytes);
  const reports: LoadedReport[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    options.signal?.throwIfAborted();
    const text = file === stdinPath ? await readStdinData(readStdin, budget, options.signal) : await readDataFile(file, budget);
    const report = readReport(file, text, limits);
    const first = seen.get(reportKey(report));
    if (first) throw duplicateReport(report, first);
    seen.set(reportKey(report), report.file);
    reports.push(report);
  }
  return reports;
}
