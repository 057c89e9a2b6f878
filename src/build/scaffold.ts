import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';
import { writeNewFiles, type NewFile } from '../output/new-files.js';
import { packageRoot } from '../version.js';

/**
 * `briefgen init` and `briefgen eject`: files for a user to own, taken from what briefgen ships
 * (`scaffold/report/` and `templates/`), written only where nothing is yet.
 */

/** The scaffold's own id and schema line, replaced in the copy. */
const scaffoldId = 'new-report';
const schemaLine = /^# yaml-language-server: \$schema=.*$/m;

/** Pure: a folder name as a report id (`My Report 2026` → `my-report-2026`). */
export function reportIdOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || scaffoldId;
}

export interface InitOptions {
  /** The new project's folder; created when missing. */
  folder: string;
  /** `en`, `zh` or both (`all`: every language of the scaffold). */
  languages: readonly string[] | 'all';
  /** Where the shipped scaffold lives (tests point elsewhere); default: briefgen's own. */
  scaffoldDir?: string;
  schemaFile?: string;
}

/** Reads the scaffold and makes the new report's files: `content/<id>/<lang>.yaml`. */
export async function planNewReport(options: InitOptions): Promise<NewFile[]> {
  const scaffoldDir = options.scaffoldDir ?? join(packageRoot, 'scaffold', 'report');
  const schemaFile = options.schemaFile ?? join(packageRoot, 'schema', 'briefing.schema.json');
  const available = (await readdir(scaffoldDir)).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
  const languages = options.languages === 'all' ? available : [...new Set(options.languages)];
  for (const lang of languages) {
    if (!available.includes(lang)) throw new BriefgenError(ErrorCode.usage, `no scaffold in language "${lang}"`, { hint: `languages: ${available.join(', ')} (--lang en,zh for both)` });
  }
  const id = reportIdOf(basename(resolve(options.folder)));
  const dataDir = join('content', id);
  // The schema line is relative to the data file, as editors read it.
  const schema = relative(join(resolve(options.folder), dataDir), schemaFile).split(sep).join('/');
  return Promise.all(
    languages.map(async (lang) => {
      const text = await readFile(join(scaffoldDir, `${lang}.yaml`), 'utf8');
      const own = text.replace(schemaLine, `# yaml-language-server: $schema=${schema}`).replace(`id: ${scaffoldId}`, `id: ${id}`);
      return { path: join(dataDir, `${lang}.yaml`), bytes: own };
    }),
  );
}

/** `briefgen init [folder]`: the files written, relative to the folder. */
export async function initReport(options: InitOptions): Promise<{ folder: string; files: string[] }> {
  const files = await planNewReport(options);
  return { folder: resolve(options.folder), files: await writeNewFiles(resolve(options.folder), files) };
}

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : Promise.resolve(e.isFile() ? [join(prefix, e.name)] : []))));
  return nested.flat().sort();
}

/** `briefgen eject templates [folder]`: a copy of the shipped templates, which a build then uses instead. */
export async function ejectTemplates(options: { folder: string; templatesDir?: string }): Promise<{ folder: string; files: string[] }> {
  const from = options.templatesDir ?? join(packageRoot, 'templates');
  const files = await Promise.all((await filesUnder(from)).map(async (path) => ({ path, bytes: await readFile(join(from, path)) })));
  return { folder: resolve(options.folder), files: await writeNewFiles(resolve(options.folder), files) };
}
